package dev.cliplab.orchestrator.sweep;

import java.util.List;

/** A sweep spec that does not satisfy the schema or the rules beyond it. */
public final class InvalidSpecException extends RuntimeException {

  private final transient List<SpecError> errors;

  public InvalidSpecException(List<SpecError> errors) {
    super(errors.get(0).field() + ": " + errors.get(0).message());
    this.errors = List.copyOf(errors);
  }

  /** Every error found, the first being the one to fix first. */
  public List<SpecError> errors() {
    return errors;
  }
}
