package dev.sixfinger.collector.agent.transport;

import dev.sixfinger.core.codec.CodecException;
import dev.sixfinger.core.codec.RiemannCodec;
import dev.sixfinger.core.event.Event;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded first-in, first-out queue of events on disk, written ahead of sending: every event the
 * agent emits is appended here first and removed only when a server has acknowledged it, so a crash
 * or a restart loses nothing that was emitted and not yet acknowledged.
 *
 * <h2>Files</h2>
 *
 * <ul>
 *   <li>{@code 00000000000000000001.seg}, ...: segments, numbered in order. Each starts with an
 *       8-byte header ({@code "SFSP"}, format version 1), then records: a 4-byte big-endian payload
 *       length, a 4-byte CRC32 of the length and the payload, and the payload, one protobuf Riemann
 *       {@code Event}. A segment is closed for appends once it reaches the segment size.
 *   <li>{@code ack}: the read position, i.e. how far the oldest segment has been acknowledged:
 *       segment number (8 bytes), byte offset (8 bytes), CRC32 of both (4 bytes). Replaced
 *       atomically (write a temporary file, rename). Segments before it are deleted.
 *   <li>{@code lock}: held while the spool is open, so that two agents never share a spool.
 * </ul>
 *
 * <h2>Crashes</h2>
 *
 * On open every segment is read through; a record that is cut short or fails its CRC (a torn write,
 * or a tail of zeros after a power loss) ends the segment, and the rest of the file is cut off. So
 * after a kill at any point the spool holds every event whose append returned, in order.
 *
 * <h2>fsync</h2>
 *
 * Every {@link #append} writes its records to the operating system before it returns, so a crash of
 * the agent process (kill -9, out of memory) loses nothing. Forcing them to the disk, against a
 * crash of the whole machine, is grouped: by default a background thread forces the tail segment at
 * most once a second, and only when something was appended. The agent submits event by event (a
 * fleet simulator thousands a second), and an fsync per event would cost more than everything else
 * it does; so a power loss may cost up to the last second of events, which the next samples replace
 * anyway. A sync interval of zero forces within every append instead. A segment is always forced
 * before the next one is started, and on close. The {@code ack} file is never forced: losing it to
 * a power cut only means that acknowledged events are sent again, never that one is lost.
 *
 * <h2>Limit</h2>
 *
 * The files never hold more than {@code maxBytes}: to make room, whole oldest segments are deleted
 * and the unacknowledged events in them are counted in {@link #droppedOldest()}. Segments are a
 * sixteenth of the limit (at most 16 MiB), so a drop loses a small slice of the oldest data.
 *
 * <p>Thread-safe: every method is synchronized.
 */
public final class Spool implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Spool.class);

  public static final long DEFAULT_MAX_BYTES = 256L * 1024 * 1024;

  /** How often appended records are forced to disk by default. */
  public static final Duration DEFAULT_SYNC_INTERVAL = Duration.ofSeconds(1);

  static final long MAX_SEGMENT_BYTES = 16L * 1024 * 1024;
  static final long MIN_SEGMENT_BYTES = 1024;
  static final int HEADER_BYTES = 8;
  static final int RECORD_OVERHEAD = 8;
  private static final int MAGIC = 0x53465350; // "SFSP"
  private static final int VERSION = 1;
  private static final int ACK_BYTES = 20;
  private static final Pattern SEGMENT_NAME = Pattern.compile("(\\d{20})\\.seg");

  /**
   * Where a batch ends: the segment, the byte offset just after its last record, and how many
   * records of that segment precede that offset.
   */
  public record Position(long segment, long offset, int index) {}

  /** Events from the head of the spool, and the position to {@link #ack} once they are stored. */
  public record Batch(List<Event> events, Position position) {
    public Batch {
      events = List.copyOf(events);
    }

    public int size() {
      return events.size();
    }

    public boolean isEmpty() {
      return events.isEmpty();
    }
  }

  private static final class Segment {
    final long id;
    final Path path;
    long bytes;
    int records;

    Segment(long id, Path path, long bytes, int records) {
      this.id = id;
      this.path = path;
      this.bytes = bytes;
      this.records = records;
    }
  }

  private final Path dir;
  private final long maxBytes;
  private final long segmentBytes;

  /** Forces the tail in the background; null when every append forces. */
  private final ScheduledExecutorService syncer;

  private final FileChannel lockChannel;
  private final FileLock lock;

  /** Oldest first; the last one is the tail that appends go to. Never empty while open. */
  private final ArrayDeque<Segment> segments = new ArrayDeque<>();

  private FileChannel tail;

  /** Acknowledged part of the head segment. */
  private long ackOffset = HEADER_BYTES;

  private int ackIndex;
  private long totalBytes;
  private long totalRecords;
  private long droppedOldest;

  /** Appended since the last force. */
  private boolean dirty;

  private boolean closed;
  private boolean interruptedMidWrite;

  /**
   * Opens (or creates) the spool in {@code dir}, with segments of maxBytes / 16 (at most 16 MiB)
   * forced to disk every {@link #DEFAULT_SYNC_INTERVAL}.
   */
  public static Spool open(Path dir, long maxBytes) throws IOException {
    return open(dir, maxBytes, defaultSegmentBytes(maxBytes), DEFAULT_SYNC_INTERVAL);
  }

  /**
   * Opens (or creates) the spool in {@code dir}, resuming after the last acknowledged event.
   *
   * @param maxBytes most bytes the segment files may hold together
   * @param segmentBytes size at which a segment is closed; at most half of maxBytes
   * @param syncInterval how often appended records are forced to disk; zero forces them within each
   *     append
   * @throws IOException if the directory cannot be used or another spool holds it
   */
  public static Spool open(Path dir, long maxBytes, long segmentBytes, Duration syncInterval)
      throws IOException {
    if (syncInterval.isNegative()) {
      throw new IllegalArgumentException(
          "spool sync interval must not be negative: " + syncInterval);
    }
    if (segmentBytes < MIN_SEGMENT_BYTES || segmentBytes > maxBytes / 2) {
      throw new IllegalArgumentException(
          "spool segment size "
              + segmentBytes
              + " must be between "
              + MIN_SEGMENT_BYTES
              + " and half the spool limit ("
              + maxBytes
              + " bytes)");
    }
    return new Spool(dir, maxBytes, segmentBytes, syncInterval);
  }

  static long defaultSegmentBytes(long maxBytes) {
    return Math.min(MAX_SEGMENT_BYTES, Math.max(MIN_SEGMENT_BYTES, maxBytes / 16));
  }

  private Spool(Path dir, long maxBytes, long segmentBytes, Duration syncInterval)
      throws IOException {
    this.dir = dir;
    this.maxBytes = maxBytes;
    this.segmentBytes = segmentBytes;
    Files.createDirectories(dir);
    this.lockChannel =
        FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock held;
    try {
      held = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      held = null;
    }
    if (held == null) {
      lockChannel.close();
      throw new IOException("spool directory " + dir + " is already in use by another agent");
    }
    this.lock = held;
    try {
      recover();
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
    // Started last, so that a spool that failed to open leaves no thread behind.
    this.syncer = syncInterval.isZero() ? null : startSyncer(syncInterval);
  }

  /** Reads the directory back: cut torn tails, find the acknowledged position, open the tail. */
  private void recover() throws IOException {
    long[] ack = readAck();
    long ackSegment = ack == null ? 0 : ack[0];
    long ackAt = ack == null ? HEADER_BYTES : ack[1];
    long lastId = ackSegment;
    for (Path path : listSegments()) {
      long id = segmentId(path);
      lastId = Math.max(lastId, id);
      if (id < ackSegment) {
        // Fully acknowledged; the process stopped between writing the ack and deleting it.
        Files.delete(path);
        continue;
      }
      Scan scan = scan(path, id == ackSegment ? ackAt : HEADER_BYTES);
      if (scan == null) {
        continue;
      }
      if (scan.validEnd < scan.size) {
        LOG.warn(
            "spool segment {}: discarded {} bytes of a torn or corrupt record at offset {}",
            path,
            scan.size - scan.validEnd,
            scan.validEnd);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
          ch.truncate(scan.validEnd);
          ch.force(true);
        }
      }
      if (segments.isEmpty() && id == ackSegment) {
        ackOffset = scan.ackOffset;
        ackIndex = scan.ackIndex;
      }
      segments.add(new Segment(id, path, scan.validEnd, scan.records));
      totalBytes += scan.validEnd;
      totalRecords += scan.records;
    }
    if (segments.isEmpty()) {
      // Numbers only grow, so an old ack file can never point into a new segment.
      createSegment(lastId + 1);
    } else {
      tail = FileChannel.open(segments.getLast().path, StandardOpenOption.WRITE);
    }
    dropConsumedHead();
  }

  private List<Path> listSegments() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> SEGMENT_NAME.matcher(p.getFileName().toString()).matches())
          .sorted()
          .toList();
    }
  }

  private static long segmentId(Path path) {
    Matcher m = SEGMENT_NAME.matcher(path.getFileName().toString());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a spool segment: " + path);
    }
    return Long.parseLong(m.group(1));
  }

  private Path segmentPath(long id) {
    return dir.resolve(String.format("%020d.seg", id));
  }

  private record Scan(long size, long validEnd, int records, long ackOffset, int ackIndex) {}

  /**
   * Reads a segment through, validating each record.
   *
   * @param ackTarget acknowledged offset; the result gives the last record boundary at or before it
   * @return null if the file is not a segment (it is set aside)
   */
  private static Scan scan(Path path, long ackTarget) throws IOException {
    long size = Files.size(path);
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(path), 64 * 1024))) {
      if (size < HEADER_BYTES) {
        // Created, but the crash came before the header was written: nothing in it.
        in.close();
        Files.delete(path);
        return null;
      }
      if (in.readInt() != MAGIC || in.readInt() != VERSION) {
        in.close();
        Path aside = path.resolveSibling(path.getFileName() + ".unreadable");
        LOG.error("{} is not a version {} spool segment; moved it to {}", path, VERSION, aside);
        Files.move(path, aside, StandardCopyOption.REPLACE_EXISTING);
        return null;
      }
      long offset = HEADER_BYTES;
      int records = 0;
      long ackOffset = HEADER_BYTES;
      int ackIndex = 0;
      CRC32 crc = new CRC32();
      while (offset + RECORD_OVERHEAD <= size) {
        int length = in.readInt();
        int sum = in.readInt();
        if (length < 0 || offset + RECORD_OVERHEAD + length > size) {
          break;
        }
        byte[] payload = new byte[length];
        in.readFully(payload);
        if (checksum(crc, length, payload) != sum) {
          break;
        }
        offset += RECORD_OVERHEAD + length;
        records++;
        if (offset <= ackTarget) {
          ackOffset = offset;
          ackIndex = records;
        }
      }
      return new Scan(size, offset, records, ackOffset, ackIndex);
    }
  }

  /** CRC32 over the length and the payload, so that a run of zero bytes is never a valid record. */
  private static int checksum(CRC32 crc, int length, byte[] payload) {
    crc.reset();
    crc.update(length >>> 24);
    crc.update(length >>> 16);
    crc.update(length >>> 8);
    crc.update(length);
    crc.update(payload);
    return (int) crc.getValue();
  }

  /**
   * Appends events at the tail, making room by dropping the oldest segments if needed.
   *
   * @throws IllegalArgumentException naming the event if one cannot fit in a segment; then none of
   *     the events is appended
   * @throws IOException if the disk refuses; the spool is left as it was before the failing record
   */
  public synchronized void append(List<Event> events) throws IOException {
    // An interrupt would close the file channel under the write (see writeTail); keep it for
    // the caller instead.
    boolean interrupted = Thread.interrupted();
    try {
      appendUninterrupted(events);
    } finally {
      if (interrupted || interruptedMidWrite) {
        interruptedMidWrite = false;
        Thread.currentThread().interrupt();
      }
    }
  }

  private void appendUninterrupted(List<Event> events) throws IOException {
    ensureOpen();
    List<byte[]> payloads = new ArrayList<>(events.size());
    long maxPayload = segmentBytes - HEADER_BYTES - RECORD_OVERHEAD;
    for (Event e : events) {
      byte[] payload = RiemannCodec.encode(e);
      if (payload.length > maxPayload) {
        throw new IllegalArgumentException(
            "event "
                + e.host()
                + "/"
                + e.service()
                + " is "
                + payload.length
                + " bytes encoded, more than the spool segment size allows ("
                + maxPayload
                + " bytes)");
      }
      payloads.add(payload);
    }
    CRC32 crc = new CRC32();
    for (byte[] payload : payloads) {
      int recordBytes = RECORD_OVERHEAD + payload.length;
      Segment last = segments.getLast();
      if (last.bytes > HEADER_BYTES && last.bytes + recordBytes > segmentBytes) {
        roll();
        last = segments.getLast();
      }
      // Terminates: the tail alone, with this record, fits in one segment, which is < maxBytes.
      while (totalBytes + recordBytes > maxBytes && segments.size() > 1) {
        dropOldestSegment();
      }
      ByteBuffer record = ByteBuffer.allocate(recordBytes);
      record.putInt(payload.length).putInt(checksum(crc, payload.length, payload)).put(payload);
      record.flip();
      try {
        writeTail(record, last.bytes);
      } catch (IOException e) {
        openTail().truncate(last.bytes); // leave no half record behind
        throw e;
      }
      last.bytes += recordBytes;
      last.records++;
      totalBytes += recordBytes;
      totalRecords++;
    }
    if (!payloads.isEmpty()) {
      dirty = true;
      if (syncer == null) {
        sync();
      }
    }
  }

  private static void writeFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
    long at = position;
    while (buf.hasRemaining()) {
      at += ch.write(buf, at);
    }
  }

  private void roll() throws IOException {
    sync();
    tail.close();
    createSegment(segments.getLast().id + 1);
    dropConsumedHead();
  }

  private void createSegment(long id) throws IOException {
    Path path = segmentPath(id);
    FileChannel ch =
        FileChannel.open(
            path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ);
    try {
      ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).putInt(MAGIC).putInt(VERSION).flip();
      writeFully(ch, header, 0);
      ch.force(true);
      forceDirectory();
    } catch (IOException e) {
      ch.close();
      Files.deleteIfExists(path);
      throw e;
    }
    tail = ch;
    segments.add(new Segment(id, path, HEADER_BYTES, 0));
    totalBytes += HEADER_BYTES;
  }

  /**
   * Makes a new file's directory entry durable; not possible on every platform, hence best effort.
   */
  private void forceDirectory() {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      LOG.debug("cannot fsync directory {}: {}", dir, e.getMessage());
    }
  }

  private void dropOldestSegment() throws IOException {
    Segment head = segments.removeFirst();
    long lost = head.records - ackIndex;
    droppedOldest += lost;
    totalBytes -= head.bytes;
    totalRecords -= head.records;
    ackOffset = HEADER_BYTES;
    ackIndex = 0;
    Files.deleteIfExists(head.path);
    // No ack file update needed: one that names a deleted segment means "start at the next one".
    LOG.warn(
        "spool over its limit of {} bytes: dropped {} unsent events, the oldest ({} dropped so far)",
        maxBytes,
        lost,
        droppedOldest);
  }

  /** Deletes head segments that are completely acknowledged and no longer appended to. */
  private void dropConsumedHead() throws IOException {
    boolean moved = false;
    while (segments.size() > 1 && ackIndex >= segments.getFirst().records) {
      Segment head = segments.removeFirst();
      totalBytes -= head.bytes;
      totalRecords -= head.records;
      ackOffset = HEADER_BYTES;
      ackIndex = 0;
      moved = true;
      writeAck(segments.getFirst().id, ackOffset);
      Files.deleteIfExists(head.path);
    }
    if (moved) {
      LOG.debug("spool head is now segment {}", segments.getFirst().id);
    }
  }

  /**
   * Reads up to {@code max} events from the head, without removing them: peeking again before an
   * {@link #ack} returns the same events.
   */
  public Batch peek(int max) throws IOException {
    return peek(max, Long.MAX_VALUE);
  }

  /**
   * Like {@link #peek(int)}, also stopping before the encoded events exceed {@code maxBytes} (a
   * batch always holds at least one event when the spool is not empty).
   */
  public synchronized Batch peek(int max, long maxBytes) throws IOException {
    ensureOpen();
    List<Event> events = new ArrayList<>();
    Segment first = segments.getFirst();
    Position end = new Position(first.id, ackOffset, ackIndex);
    long bytes = 0;
    ByteBuffer recordHeader = ByteBuffer.allocate(RECORD_OVERHEAD);
    for (Segment s : segments) {
      if (events.size() >= max) {
        break;
      }
      long offset = s == first ? ackOffset : HEADER_BYTES;
      int index = s == first ? ackIndex : 0;
      if (offset >= s.bytes) {
        continue;
      }
      try (FileChannel ch = FileChannel.open(s.path, StandardOpenOption.READ)) {
        while (offset < s.bytes && events.size() < max) {
          recordHeader.clear();
          readFully(ch, recordHeader, offset, s);
          int length = recordHeader.getInt(0);
          if (!events.isEmpty() && bytes + length > maxBytes) {
            return new Batch(events, end);
          }
          ByteBuffer payload = ByteBuffer.allocate(length);
          readFully(ch, payload, offset + RECORD_OVERHEAD, s);
          try {
            events.add(RiemannCodec.decode(payload.array()));
          } catch (CodecException e) {
            throw new IOException(
                "spool segment " + s.path + " holds an unreadable event at offset " + offset, e);
          }
          bytes += length;
          offset += RECORD_OVERHEAD + length;
          index++;
          end = new Position(s.id, offset, index);
        }
      }
    }
    return new Batch(events, end);
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long position, Segment s)
      throws IOException {
    long at = position;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, at);
      if (n < 0) {
        throw new IOException("spool segment " + s.path + " ends early at offset " + at);
      }
      at += n;
    }
  }

  /**
   * Removes the events of a batch (and any before it) from the spool. Acknowledging a batch whose
   * events have meanwhile been dropped, or acknowledged, does nothing.
   */
  public synchronized void ack(Batch batch) throws IOException {
    ensureOpen();
    Position p = batch.position();
    Segment head = segments.getFirst();
    if (p.segment() < head.id || (p.segment() == head.id && p.offset() <= ackOffset)) {
      return;
    }
    // The ack file goes first: a crash before the deletes below leaves them for recover().
    writeAck(p.segment(), p.offset());
    while (segments.getFirst().id < p.segment()) {
      Segment consumed = segments.removeFirst();
      totalBytes -= consumed.bytes;
      totalRecords -= consumed.records;
      Files.deleteIfExists(consumed.path);
    }
    ackOffset = p.offset();
    ackIndex = p.index();
    dropConsumedHead();
  }

  private void writeAck(long segment, long offset) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(ACK_BYTES).putLong(segment).putLong(offset);
    CRC32 crc = new CRC32();
    crc.update(buf.array(), 0, 16);
    buf.putInt((int) crc.getValue());
    Path tmp = dir.resolve("ack.tmp");
    Files.write(tmp, buf.array());
    Files.move(tmp, dir.resolve("ack"), StandardCopyOption.ATOMIC_MOVE);
  }

  /** Returns {segment, offset}, or null when there is no valid ack file (then all is unsent). */
  private long[] readAck() throws IOException {
    Path path = dir.resolve("ack");
    if (!Files.exists(path)) {
      return null;
    }
    byte[] bytes = Files.readAllBytes(path);
    if (bytes.length == ACK_BYTES) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      CRC32 crc = new CRC32();
      crc.update(bytes, 0, 16);
      long segment = buf.getLong();
      long offset = buf.getLong();
      if (buf.getInt() == (int) crc.getValue()) {
        return new long[] {segment, offset};
      }
    }
    LOG.warn("spool ack file {} is damaged; unacknowledged events may be sent again", path);
    return null;
  }

  /** Events appended and neither acknowledged nor dropped. */
  public synchronized long depth() {
    return totalRecords - ackIndex;
  }

  /** Bytes the segment files hold, acknowledged records included until their segment goes. */
  public synchronized long bytes() {
    return totalBytes;
  }

  /** Unacknowledged events dropped to stay under the limit since this spool was opened. */
  public synchronized long droppedOldest() {
    return droppedOldest;
  }

  public long maxBytes() {
    return maxBytes;
  }

  public Path directory() {
    return dir;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("spool " + dir + " is closed");
    }
  }

  private ScheduledExecutorService startSyncer(Duration interval) {
    ScheduledExecutorService s =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sixfinger-spool-sync");
              t.setDaemon(true);
              return t;
            });
    long nanos = interval.toNanos();
    s.scheduleWithFixedDelay(this::syncInBackground, nanos, nanos, TimeUnit.NANOSECONDS);
    return s;
  }

  private synchronized void syncInBackground() {
    try {
      if (!closed) {
        sync();
      }
    } catch (IOException e) {
      LOG.error("cannot force the spool in {} to disk: {}", dir, e.toString());
    }
  }

  /** Forces what was appended since the last force to disk. */
  public synchronized void sync() throws IOException {
    if (dirty && tail != null) {
      boolean interrupted = Thread.interrupted();
      try {
        try {
          openTail().force(false);
        } catch (ClosedChannelException e) {
          Thread.interrupted();
          openTail().force(false);
        }
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
      dirty = false;
    }
  }

  /**
   * Writes a record at its position in the tail segment. Callers may be interrupted (the agent's
   * check threads are, when it stops), and an interrupt closes a FileChannel in the middle of a
   * write; the write is positional, so it is simply done again on a reopened channel.
   */
  private void writeTail(ByteBuffer record, long position) throws IOException {
    try {
      writeFully(openTail(), record, position);
    } catch (ClosedChannelException e) {
      // Interrupted mid-write: remember it for the caller, and redo the write.
      interruptedMidWrite |= Thread.interrupted();
      record.rewind();
      writeFully(openTail(), record, position);
    }
  }

  /** The tail segment's channel, reopened if an interrupt closed it. */
  private FileChannel openTail() throws IOException {
    if (!tail.isOpen()) {
      tail =
          FileChannel.open(
              segments.getLast().path, StandardOpenOption.WRITE, StandardOpenOption.READ);
    }
    return tail;
  }

  /** Forces what is left to disk and releases the directory. */
  @Override
  public void close() throws IOException {
    if (syncer != null) {
      // Not shutdownNow: an interrupt during force() would close the channel under us.
      syncer.shutdown();
    }
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      try {
        if (tail != null) {
          sync();
          tail.close();
        }
      } finally {
        lock.release();
        lockChannel.close();
      }
    }
  }
}
