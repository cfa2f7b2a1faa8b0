variable "name" {
  description = "Name of every resource (cluster, service, repository, load balancer): at most 24 characters."
  type        = string
  default     = "voxgate"
}

variable "aws_region" {
  type    = string
  default = "eu-west-1"
}

variable "tags" {
  description = "Tags on every resource, besides Application and ManagedBy."
  type        = map(string)
  default     = {}
}

# --- network

variable "vpc_cidr" {
  type    = string
  default = "10.40.0.0/16"
}

variable "az_count" {
  type    = number
  default = 2
}

variable "single_nat_gateway" {
  type    = bool
  default = true
}

# --- load balancer

variable "certificate_arn" {
  description = "ACM certificate for the public name (in aws_region)."
  type        = string
}

variable "public_url" {
  description = "PUBLIC_URL: the address users reach (https://stt.example.org), a DNS name pointing at the ALB."
  type        = string
}

variable "allowed_cidrs" {
  type    = list(string)
  default = ["0.0.0.0/0"]
}

variable "ssl_policy" {
  type    = string
  default = "ELBSecurityPolicy-TLS13-1-2-2021-06"
}

variable "alb_idle_timeout" {
  description = "Seconds a connection may be silent at the ALB (WebSocket sessions: at least 3600)."
  type        = number
  default     = 3600
}

variable "deregistration_delay" {
  description = "Seconds a task leaving the target group keeps its open sessions before the ALB closes them."
  type        = number
  default     = 120
}

variable "deletion_protection" {
  type    = bool
  default = true
}

# --- service

variable "image_tag" {
  description = "The image tag of the first deployment (CI deploys the later ones)."
  type        = string
  default     = "latest"
}

variable "keep_images" {
  type    = number
  default = 30
}

variable "desired_count" {
  type    = number
  default = 2
}

variable "task_cpu" {
  description = "Fargate CPU units: 2048 is two vCPUs, about nine Vosk sessions (docs/benchmarks.md)."
  type        = number
  default     = 2048
}

variable "task_memory" {
  type    = number
  default = 4096
}

variable "ephemeral_storage_gib" {
  type    = number
  default = 30
}

variable "readonly_root_filesystem" {
  type    = bool
  default = true
}

variable "shutdown_grace_ms" {
  description = "SHUTDOWN_GRACE_MS: how long open sessions may take to send their finals after SIGTERM."
  type        = number
  default     = 10000
}

variable "stop_timeout" {
  description = "Seconds from SIGTERM to SIGKILL (longer than shutdown_grace_ms; Fargate allows up to 120)."
  type        = number
  default     = 30
}

variable "max_file_size_mb" {
  type    = number
  default = 200
}

variable "log_retention_days" {
  type    = number
  default = 30
}

variable "ssm_parameter_prefix" {
  description = "Path of the SecureString parameters the secrets come from (put there before applying)."
  type        = string
  default     = "/voxgate"
}

variable "ssm_secrets" {
  description = "Settings read from SSM (PREFIX/NAME): VOXGATE_API_KEYS holds the key file, and turns AUTH_REQUIRED on."
  type        = list(string)
  default     = ["DATABASE_URL", "REDIS_URL", "METRICS_TOKEN", "VOXGATE_API_KEYS"]

  validation {
    condition = alltrue([for s in var.ssm_secrets :
    contains(["DATABASE_URL", "REDIS_URL", "METRICS_TOKEN", "VOXGATE_API_KEYS", "UPSTREAM_API_KEY", "OPENAI_API_KEY"], s)])
    error_message = "ssm_secrets names settings Voxgate reads as secrets."
  }
}

variable "ssm_kms_key_arn" {
  type    = string
  default = null
}

variable "environment" {
  description = "More settings that are not secret (ENGINE, MAX_SESSIONS, ...: the README's configuration table)."
  type        = map(string)
  default     = {}
}

variable "allow_transcribe" {
  type    = bool
  default = false
}

# --- storage

variable "bucket_name" {
  description = "S3 bucket; null: NAME-ACCOUNT-REGION."
  type        = string
  default     = null
}

variable "s3_prefix" {
  type    = string
  default = ""
}

variable "upload_retention_days" {
  description = "UPLOAD_RETENTION_DAYS: the server deletes uploads this long after they arrived."
  type        = number
  default     = 7
}

variable "transcript_retention_days" {
  description = "TRANSCRIPT_RETENTION_DAYS and ARCHIVE_RETENTION_DAYS: finished jobs' transcripts, session archives."
  type        = number
  default     = 30
}

variable "s3_expiry_margin_days" {
  description = "S3 expires objects this long after the server should have deleted them (a backstop, not the rule)."
  type        = number
  default     = 7
}

variable "s3_kms_key_arn" {
  type    = string
  default = null
}

# --- CI/CD

variable "github_repository" {
  description = "owner/name of the repository whose workflow may push and deploy."
  type        = string
}

variable "github_subjects" {
  description = "What of the repository may deploy: the workflow's deploy job runs in the production environment."
  type        = list(string)
  default     = ["environment:production"]
}

variable "create_github_oidc_provider" {
  type    = bool
  default = true
}
