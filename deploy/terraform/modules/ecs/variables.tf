variable "name" {
  description = "Cluster, service, task family and log group name."
  type        = string
}

variable "aws_region" {
  type = string
}

variable "vpc_id" {
  type = string
}

variable "subnet_ids" {
  description = "Private subnets the tasks run in."
  type        = list(string)
}

variable "alb_security_group_id" {
  type = string
}

variable "target_group_arn" {
  type = string
}

variable "image" {
  description = "Repository URL of the image (no tag)."
  type        = string
}

variable "image_tag" {
  description = "The tag of the first deployment; CI deploys later ones."
  type        = string
}

variable "cpu" {
  description = "Task CPU units (1024 = one vCPU)."
  type        = number
}

variable "memory" {
  description = "Task memory, MiB."
  type        = number
}

variable "ephemeral_storage_gib" {
  description = "Fargate's task storage (21-200 GiB): DATA_DIR (uploads in flight, the spool) and /tmp."
  type        = number
}

variable "desired_count" {
  type = number
}

variable "container_port" {
  type = number
}

variable "execution_role_arn" {
  type = string
}

variable "task_role_arn" {
  type = string
}

variable "environment" {
  description = "Settings that are not secret (the README's configuration table)."
  type        = map(string)
}

variable "secrets" {
  description = "Secret settings: environment variable name => ARN of the SSM parameter holding it."
  type        = map(string)
}

variable "shutdown_grace_ms" {
  description = "SHUTDOWN_GRACE_MS given to the server."
  type        = number
}

variable "stop_timeout" {
  description = "Seconds between SIGTERM and SIGKILL (Fargate's limit: 120)."
  type        = number
}

variable "readonly_root_filesystem" {
  type = bool
}

variable "log_retention_days" {
  type = number
}
