package io.controlcenter.support;

import java.util.AbstractList;
import java.util.Arrays;

/**
 * A list one thread appends to while others read it, for test clients that record thousands of messages:
 * appends are amortised O(1) (a CopyOnWriteArrayList copies everything on each one), and readers iterate over what
 * was there when they looked, without ConcurrentModificationException.
 */
public final class AppendOnlyList<T> extends AbstractList<T> {

    private volatile Object[] items = new Object[64];
    private volatile int size;

    @Override
    public synchronized boolean add(T item) {
        if (size == items.length) {
            items = Arrays.copyOf(items, size * 2);
        }
        items[size] = item;
        size++; // published after the item: a reader that sees the size sees the item
        return true;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T get(int index) {
        if (index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
        return (T) items[index];
    }

    @Override
    public int size() {
        return size;
    }
}
