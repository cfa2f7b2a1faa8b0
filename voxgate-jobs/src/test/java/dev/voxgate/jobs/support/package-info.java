/**
 * Test doubles and fixtures for the jobs tests: a {@link dev.voxgate.jobs.support.ScriptedTranscriber}, a
 * {@link dev.voxgate.jobs.support.MutableClock}, a fresh {@link dev.voxgate.jobs.support.TestDatabase} (SQLite or
 * PostgreSQL, from {@link dev.voxgate.jobs.support.PostgresServer}) and small WAV files ({@code Wavs}).
 */
package dev.voxgate.jobs.support;
