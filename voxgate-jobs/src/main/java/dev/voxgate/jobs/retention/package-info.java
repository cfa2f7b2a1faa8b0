/** Retention clean-up: old uploads and finished jobs are deleted by a recurring JobRunr job. */
package dev.voxgate.jobs.retention;
