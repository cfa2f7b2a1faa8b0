/**
 * The job database: {@link dev.voxgate.jobs.db.DatabaseTarget} (from {@code DATABASE_URL}),
 * {@link dev.voxgate.jobs.db.Database} (pool + Flyway migrations per vendor) and
 * {@link dev.voxgate.jobs.db.JobRepository} (the {@code jobs} table over plain JDBC).
 */
package dev.voxgate.jobs.db;
