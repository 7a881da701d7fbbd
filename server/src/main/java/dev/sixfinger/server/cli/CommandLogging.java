package dev.sixfinger.server.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import org.slf4j.LoggerFactory;

/**
 * Console logging for long-running commands other than {@code server}: Sixfinger's own progress at
 * INFO, libraries at WARN. Dropwizard sets up only WARN for such commands, which would hide the
 * progress lines that tell an operator the command is working.
 */
public final class CommandLogging {
  private CommandLogging() {}

  public static void progressToConsole() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%d{HH:mm:ss} %-5level %logger{0}: %msg%n");
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setEncoder(encoder);
    console.setTarget("System.err");
    console.start();
    root.addAppender(console);
    root.setLevel(Level.WARN);
    context.getLogger("dev.sixfinger").setLevel(Level.INFO);
  }
}
