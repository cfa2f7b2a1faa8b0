/**
 * Object storage for uploads and results behind one interface ({@link dev.voxgate.jobs.storage.BlobStore}):
 * a folder by default, S3 later. Keys ({@link dev.voxgate.jobs.storage.BlobKey}) are generated and
 * validated here, never taken from user input.
 */
package dev.voxgate.jobs.storage;
