package dev.voxgate.jobs;

import java.util.List;

/**
 * One page of a listing.
 *
 * @param items the page's items, newest first
 * @param page  the page number, from 0
 * @param size  the page size asked for
 * @param total how many items there are in all pages
 */
public record Page<T>(List<T> items, int page, int size, long total) {
    public Page {
        items = List.copyOf(items);
    }

    public long totalPages() {
        return size == 0 ? 0 : (total + size - 1) / size;
    }

    public boolean hasNext() {
        return (long) (page + 1) * size < total;
    }
}
