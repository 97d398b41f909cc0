package io.distcache.jcache.it.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A mutable value, to check that the cache never shares state with its callers when storing by value. */
public final class MutableBox {

  private String label;
  private final List<String> items = new ArrayList<>();

  public MutableBox(String label, String... items) {
    this.label = label;
    this.items.addAll(List.of(items));
  }

  public String label() {
    return label;
  }

  public void relabel(String newLabel) {
    this.label = newLabel;
  }

  public List<String> items() {
    return items;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof MutableBox that && label.equals(that.label) && items.equals(that.items);
  }

  @Override
  public int hashCode() {
    return Objects.hash(label, items);
  }

  @Override
  public String toString() {
    return "MutableBox{" + label + ", " + items + '}';
  }
}
