terraform {
  # lifecycle preconditions and validation blocks as written here: 1.5 and newer (not tried on 2.x).
  required_version = ">= 1.5.0, < 2.0.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.80"
    }
  }
}
