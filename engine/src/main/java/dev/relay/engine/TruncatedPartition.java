package dev.relay.engine;

/**
 * A partition whose stream no longer holds the entry a reader had read last, although retention
 * cannot have trimmed it: the store lost the stream's newest entries (a Redis Cluster failover to a
 * lagging replica, a restart from an AOF written with {@code appendfsync everysec}) or the whole
 * stream. Found by {@link EventLog#verifyPositions}, which has already made the loss visible to
 * every reader and to recovery by moving the partition to a new epoch.
 *
 * @param partition the partition
 * @param epoch the partition's epoch from now on: every entry appended after the check carries it;
 *     null when the whole stream is gone (its next append starts a new epoch, as after a flush)
 * @param resumeAfter where the reader goes on: the newest entry the stream held at the check, or
 *     {@code 0-0}; every entry after it was appended after the check. Entries before it that the
 *     reader had not read are never delivered to it: the reader closes the partition's connections,
 *     whose clients recover with {@code recovered:false} and reload their state.
 */
public record TruncatedPartition(int partition, String epoch, String resumeAfter) {}
