package io.distcache.jcache.counters;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An exact counter for the near-hit path. Each thread adds to a cell of its own with a plain (opaque) write,
 * so an increment costs a thread-local lookup instead of the atomic read-modify-write a
 * {@link java.util.concurrent.atomic.LongAdder} makes even on one thread: a full fence that costs more than
 * the rest of a near-cache hit. {@link #sum()} reads every cell; the cells of threads that ended are folded
 * into one total, so short-lived threads (virtual threads included) do not pile up cells.
 */
final class PerThreadCounter {

  /** Ended threads' cells are folded on every sum and after this many new cells. */
  private static final int FOLD_AFTER_NEW_CELLS = 1024;

  private final ThreadLocal<Cell> cells = ThreadLocal.withInitial(this::newCell);
  private final Set<Cell> live = ConcurrentHashMap.newKeySet();
  private final AtomicInteger newCells = new AtomicInteger();
  /** The counts of ended threads; guarded by {@code this}, like folding itself. */
  private long ended;

  /** Adds one. */
  void increment() {
    cells.get().increment();
  }

  /** The count; never less than an earlier result. */
  synchronized long sum() {
    foldEnded();
    long total = ended;
    for (Cell cell : live) {
      total += cell.value();
    }
    return total;
  }

  private Cell newCell() {
    Cell cell = new Cell(Thread.currentThread());
    live.add(cell);
    if (newCells.incrementAndGet() % FOLD_AFTER_NEW_CELLS == 0) {
      synchronized (this) {
        foldEnded();
      }
    }
    return cell;
  }

  /** Moves the counts of ended threads into {@link #ended}; the caller holds the lock. */
  private void foldEnded() {
    for (Iterator<Cell> iterator = live.iterator(); iterator.hasNext(); ) {
      Cell cell = iterator.next();
      // isAlive() returning false makes every write of the ended thread visible here
      if (!cell.ownerAlive()) {
        ended += cell.value();
        iterator.remove();
      }
    }
  }

  /** One thread's count: written only by that thread. */
  private static final class Cell {

    private static final VarHandle VALUE;

    static {
      try {
        VALUE = MethodHandles.lookup().findVarHandle(Cell.class, "value", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private final WeakReference<Thread> owner;
    @SuppressWarnings("unused") // accessed through VALUE
    private long value;

    Cell(Thread owner) {
      this.owner = new WeakReference<>(owner);
    }

    void increment() {
      // single writer: an opaque read and write cannot lose an update, and readers see whole values
      VALUE.setOpaque(this, (long) VALUE.getOpaque(this) + 1);
    }

    long value() {
      return (long) VALUE.getOpaque(this);
    }

    boolean ownerAlive() {
      Thread thread = owner.get();
      return thread != null && thread.isAlive();
    }
  }
}
