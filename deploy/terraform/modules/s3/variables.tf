variable "bucket_name" {
  type = string
}

variable "key_prefix" {
  description = "S3_PREFIX: put before every object key (empty, or ending in /)."
  type        = string
}

variable "expiration_days" {
  description = "Days after which objects under each key prefix (uploads/, results/, sessions/) expire."
  type        = map(number)
}

variable "kms_key_arn" {
  description = "A customer-managed KMS key for the bucket's default encryption; null: SSE-S3 (AES256)."
  type        = string
  default     = null
}

variable "force_destroy" {
  description = "Let `terraform destroy` delete a bucket that still holds objects."
  type        = bool
  default     = false
}
