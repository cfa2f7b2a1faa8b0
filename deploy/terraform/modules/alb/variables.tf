variable "name" {
  description = "Name of the load balancer and its target group (at most 32 characters)."
  type        = string
}

variable "vpc_id" {
  type = string
}

variable "subnet_ids" {
  description = "Public subnets, one per zone."
  type        = list(string)
}

variable "allowed_cidrs" {
  description = "Who may reach ports 80 and 443."
  type        = list(string)
}

variable "certificate_arn" {
  description = "ACM certificate of the public name, for the HTTPS listener."
  type        = string
}

variable "ssl_policy" {
  type = string
}

variable "container_port" {
  type = number
}

variable "idle_timeout" {
  description = "Seconds a connection may be silent: a WebSocket session lasts up to CONNECTION_TIMEOUT_MS (1 h)."
  type        = number

  validation {
    condition     = var.idle_timeout >= 3600 && var.idle_timeout <= 4000
    error_message = "idle_timeout must be at least 3600 s (WebSocket sessions) and at most 4000 s (the ALB's limit)."
  }
}

variable "deregistration_delay" {
  description = "Seconds a draining task keeps its open connections (ALB limit: 3600)."
  type        = number
}

variable "health_check_path" {
  type = string
}

variable "deletion_protection" {
  type = bool
}
