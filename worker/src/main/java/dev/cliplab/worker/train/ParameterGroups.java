package dev.cliplab.worker.train;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.cliplab.worker.model.ClipLiteModel;
import java.io.IOException;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The trainable parameters of a network as the optimisers see them: each one's full name, whether
 * it belongs to the image encoder (which has its own learning rate) and whether weight decay may
 * apply to it, looked up by the DJL parameter id that the trainer passes to {@code
 * Optimizer.update}.
 *
 * <p>Weight decay is for weights only: parameters of type {@link Parameter.Type#WEIGHT} (kernels,
 * linear weights, embeddings). Norm gains and shifts (gamma, beta), biases and the critic's log
 * scale are never decayed; decaying them would shrink the normalisation and the critic's scale
 * towards zero instead of regularising the fit. The optimisers also skip any weight of fewer than
 * two dimensions, as OpenCLIP does.
 */
final class ParameterGroups {

  /**
   * One trainable parameter.
   *
   * @param name the full name in the network, stable across instances of the same architecture
   * @param imageEncoder whether it trains at the image encoder's learning rate
   * @param decayable whether weight decay applies (to arrays of two or more dimensions)
   */
  record Member(String name, boolean imageEncoder, boolean decayable) {}

  private final Map<String, Member> byId;
  private final Set<String> names;

  /**
   * Groups given by hand, for networks that are not a {@link ClipLiteModel}.
   *
   * @param byId the member for each DJL parameter id
   */
  ParameterGroups(Map<String, Member> byId) {
    this.byId = Collections.unmodifiableMap(new LinkedHashMap<>(byId));
    this.names = byId.values().stream().map(Member::name).collect(Collectors.toUnmodifiableSet());
  }

  /**
   * The groups of a CLIP-Lite network: the ResNet is the image encoder; the image projection head,
   * the text tower, the critic and anything else are the rest.
   *
   * @param network the network; it need not be initialised
   * @return its groups
   */
  static ParameterGroups of(ClipLiteModel network) {
    return of(network, network.imageEncoder());
  }

  /**
   * The groups of a network with a given image encoder.
   *
   * @param network the whole network
   * @param imageEncoder a block inside it whose parameters form the image encoder group
   * @return the groups of every parameter that requires a gradient
   * @throws IllegalArgumentException if the image encoder is not part of the network
   */
  static ParameterGroups of(Block network, Block imageEncoder) {
    Set<Parameter> encoder = Collections.newSetFromMap(new IdentityHashMap<>());
    imageEncoder.getParameters().values().forEach(encoder::add);
    Map<String, Member> byId = new LinkedHashMap<>();
    int inEncoder = 0;
    for (Pair<String, Parameter> entry : network.getParameters()) {
      Parameter parameter = entry.getValue();
      if (!parameter.requiresGradient()) {
        continue;
      }
      boolean image = encoder.contains(parameter);
      inEncoder += image ? 1 : 0;
      boolean decayable = parameter.getType() == Parameter.Type.WEIGHT;
      byId.put(parameter.getId(), new Member(entry.getKey(), image, decayable));
    }
    if (inEncoder == 0 && !encoder.isEmpty()) {
      throw new IllegalArgumentException("the image encoder block is not part of the network");
    }
    return new ParameterGroups(byId);
  }

  /**
   * The member a parameter id stands for.
   *
   * @param parameterId the DJL parameter id
   * @return its member
   * @throws IllegalArgumentException if the id is not one of this network's trainable parameters
   */
  Member member(String parameterId) {
    Member member = byId.get(parameterId);
    if (member == null) {
      throw new IllegalArgumentException(
          "parameter id "
              + parameterId
              + " is not a trainable parameter of the network the optimiser was built for");
    }
    return member;
  }

  /**
   * Every member, in the network's parameter order.
   *
   * @return the members
   */
  Collection<Member> members() {
    return byId.values();
  }

  /**
   * Checks that restored optimiser state belongs to this network.
   *
   * @param stateNames the parameter names the state has entries for
   * @throws IOException naming the first name that is not one of the members'
   */
  void requireKnown(Collection<String> stateNames) throws IOException {
    for (String name : stateNames) {
      if (!names.contains(name)) {
        throw new IOException(
            "optimiser state has parameter " + name + ", which the network does not have");
      }
    }
  }
}
