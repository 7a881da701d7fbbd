package dev.sixfinger.rules.config;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.RandomAccess;

/**
 * The {@code by} values of one event as a list of strings (nulls kept), with its hash computed
 * once: the key of a fork is looked up for every event, and a fresh {@code ArrayList} there
 * rehashed and compared element by element through iterators. It is a {@code List}, equal to (and
 * hashing like) any list of the same strings, so snapshots still hold a plain list and a key read
 * back from JSON finds the same fork.
 */
final class EntityKey extends AbstractList<String> implements RandomAccess {
  private final String[] values;
  private final int hash;

  EntityKey(String[] values) {
    this.values = values;
    this.hash = Arrays.hashCode(values); // the same as List.hashCode
  }

  @Override
  public String get(int index) {
    return values[index];
  }

  @Override
  public int size() {
    return values.length;
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public boolean equals(Object o) {
    if (o == this) {
      return true;
    }
    if (o instanceof EntityKey k) {
      return hash == k.hash && Arrays.equals(values, k.values);
    }
    return super.equals(o);
  }
}
