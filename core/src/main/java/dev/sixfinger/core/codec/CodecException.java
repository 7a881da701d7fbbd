package dev.sixfinger.core.codec;

/** Input that cannot be decoded; the message names the input and what was wrong with it. */
public class CodecException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CodecException(String message) {
    super(message);
  }

  public CodecException(String message, Throwable cause) {
    super(message, cause);
  }
}
