variable "name" {
  type = string
}

variable "ecr_repository_arn" {
  type = string
}

variable "log_group_arn" {
  type = string
}

variable "secret_parameter_arns" {
  description = "ARNs of the SSM parameters the container's secrets come from."
  type        = list(string)
}

variable "ssm_kms_key_arn" {
  description = "The customer-managed KMS key of those SecureString parameters; null: AWS's aws/ssm key."
  type        = string
  default     = null
}

variable "bucket_arn" {
  type = string
}

variable "key_prefix" {
  description = "S3_PREFIX: the task may touch only keys under it."
  type        = string
}

variable "allow_transcribe" {
  description = "Let the task stream to Amazon Transcribe (the aws-transcribe engine)."
  type        = bool
  default     = false
}
