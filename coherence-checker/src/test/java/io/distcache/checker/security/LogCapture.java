package io.distcache.checker.security;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Captures every log event of the JVM, at DEBUG and above, while open. */
final class LogCapture implements AutoCloseable {

  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final Logger provider = (Logger) LoggerFactory.getLogger("io.distcache");
  private final Level previousRoot = root.getLevel();
  private final Level previousProvider = provider.getLevel();
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  LogCapture() {
    appender.start();
    root.addAppender(appender);
    root.setLevel(Level.DEBUG);
    provider.setLevel(Level.DEBUG);
  }

  /** Every captured event rendered as its message followed by its stack trace, if any. */
  List<String> rendered() {
    // AppenderBase.doAppend holds the appender's monitor while it adds to the list.
    synchronized (appender) {
      return appender.list.stream().map(LogCapture::render).toList();
    }
  }

  private static String render(ILoggingEvent event) {
    IThrowableProxy thrown = event.getThrowableProxy();
    return event.getLoggerName() + " " + event.getFormattedMessage()
        + (thrown == null ? "" : System.lineSeparator() + ThrowableProxyUtil.asString(thrown));
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    root.setLevel(previousRoot);
    provider.setLevel(previousProvider);
    appender.stop();
  }
}
