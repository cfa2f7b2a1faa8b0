variable "name" {
  type = string
}

variable "github_repository" {
  description = "owner/name of the repository whose workflow deploys."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository))
    error_message = "github_repository is owner/name, with no wildcard."
  }
}

variable "github_subjects" {
  description = "What of that repository may deploy: the token's sub after repo:OWNER/NAME: (a branch, an environment)."
  type        = list(string)
}

variable "create_oidc_provider" {
  description = "Create the account's GitHub OIDC provider (one per account: false when it exists already)."
  type        = bool
}

variable "ecr_repository_arn" {
  type = string
}

variable "service_arn" {
  type = string
}

variable "task_role_arns" {
  description = "The execution and task roles a new task definition revision names (iam:PassRole)."
  type        = list(string)
}
