package dev.sixfinger.server.scheduler;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sixfinger.scheduler.job.DuplicateJobException;
import dev.sixfinger.scheduler.job.InvalidJobException;
import dev.sixfinger.scheduler.job.NotFoundException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.List;

/** The scheduler's domain errors as HTTP answers: {@code {"code":…,"error":…,"violations":[…]}}. */
public final class SchedulerExceptionMappers {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private SchedulerExceptionMappers() {}

  public static List<Object> all() {
    return List.of(new Invalid(), new BadRequest(), new Duplicate(), new Missing(), new Busy());
  }

  static Response answer(int code, String error, List<String> violations) {
    ObjectNode n = F.objectNode();
    n.put("code", code);
    n.put("error", error);
    ArrayNode v = n.putArray("violations");
    violations.forEach(v::add);
    Response.ResponseBuilder b = Response.status(code).type(MediaType.APPLICATION_JSON).entity(n);
    if (code == 503) {
      b.header("Retry-After", 1);
    }
    return b.build();
  }

  /** 400 with every broken rule of the job. */
  public static final class Invalid implements ExceptionMapper<InvalidJobException> {
    @Override
    public Response toResponse(InvalidJobException e) {
      return answer(400, e.getMessage(), e.violations());
    }
  }

  public static final class BadRequest implements ExceptionMapper<BadRequestException> {
    @Override
    public Response toResponse(BadRequestException e) {
      return answer(400, e.getMessage(), e.violations());
    }
  }

  /** 409: the uuid is taken (a retried submission that was stored the first time, or a clash). */
  public static final class Duplicate implements ExceptionMapper<DuplicateJobException> {
    @Override
    public Response toResponse(DuplicateJobException e) {
      return answer(
          409,
          e.getMessage()
              + "; if this is a retry, the first submission was stored (GET /api/v1/jobs/"
              + e.uuid()
              + "), otherwise choose another uuid",
          List.of());
    }
  }

  public static final class Missing implements ExceptionMapper<NotFoundException> {
    @Override
    public Response toResponse(NotFoundException e) {
      return answer(404, e.getMessage(), List.of());
    }
  }

  public static final class Busy implements ExceptionMapper<SchedulerUnavailableException> {
    @Override
    public Response toResponse(SchedulerUnavailableException e) {
      return answer(503, e.getMessage(), List.of());
    }
  }
}
