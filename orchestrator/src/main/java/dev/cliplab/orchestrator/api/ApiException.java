package dev.cliplab.orchestrator.api;

import dev.cliplab.orchestrator.sweep.SpecError;
import java.util.List;

/** A request that cannot be served, with the HTTP status and what to tell the client. */
public final class ApiException extends RuntimeException {

  private final int status;
  private final transient List<SpecError> errors;

  public ApiException(int status, String message, List<SpecError> errors) {
    super(message);
    this.status = status;
    this.errors = List.copyOf(errors);
  }

  /** A 400 about one field. */
  public static ApiException badRequest(String field, String message) {
    return new ApiException(400, message, List.of(new SpecError(field, message)));
  }

  /** A 404 naming what was not found. */
  public static ApiException notFound(String what) {
    return new ApiException(404, what + " not found", List.of());
  }

  public int status() {
    return status;
  }

  public List<SpecError> errors() {
    return errors;
  }
}
