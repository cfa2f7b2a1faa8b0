# Voxgate on AWS: ECS Fargate tasks in private subnets behind an ALB (HTTPS, WebSockets up to an hour), S3 for
# uploads and transcripts through a gateway endpoint, secrets from SSM Parameter Store, images in ECR, and a role
# GitHub Actions assumes with OIDC to deploy. docs/deployment.md, "AWS with Terraform", says how to apply it.

provider "aws" {
  region = var.aws_region

  default_tags {
    tags = merge(var.tags, {
      Application = var.name
      ManagedBy   = "terraform"
    })
  }
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  account_id  = data.aws_caller_identity.current.account_id
  bucket_name = coalesce(var.bucket_name, "${var.name}-${local.account_id}-${var.aws_region}")
  # zipmap over a list rather than an object `for` (hcl4j, which the tests parse with, cannot read a template after
  # `=>`); the same map.
  secret_arns = zipmap(var.ssm_secrets, [
    for s in var.ssm_secrets :
    "arn:${data.aws_partition.current.partition}:ssm:${var.aws_region}:${local.account_id}:parameter${var.ssm_parameter_prefix}/${s}"
  ])
}

module "network" {
  source = "./modules/network"

  name               = var.name
  cidr               = var.vpc_cidr
  az_count           = var.az_count
  single_nat_gateway = var.single_nat_gateway
}

module "ecr" {
  source = "./modules/ecr"

  name        = var.name
  keep_images = var.keep_images
}

module "s3" {
  source = "./modules/s3"

  bucket_name = local.bucket_name
  key_prefix  = var.s3_prefix
  kms_key_arn = var.s3_kms_key_arn
  expiration_days = {
    "uploads/"  = var.upload_retention_days + var.s3_expiry_margin_days
    "results/"  = var.transcript_retention_days + var.s3_expiry_margin_days
    "sessions/" = var.transcript_retention_days + var.s3_expiry_margin_days
  }
}

module "alb" {
  source = "./modules/alb"

  name                 = var.name
  vpc_id               = module.network.vpc_id
  subnet_ids           = module.network.public_subnet_ids
  allowed_cidrs        = var.allowed_cidrs
  certificate_arn      = var.certificate_arn
  ssl_policy           = var.ssl_policy
  container_port       = 8080
  idle_timeout         = var.alb_idle_timeout
  deregistration_delay = var.deregistration_delay
  health_check_path    = "/ready"
  deletion_protection  = var.deletion_protection
}

module "iam" {
  source = "./modules/iam"

  name                  = var.name
  ecr_repository_arn    = module.ecr.repository_arn
  log_group_arn         = module.ecs.log_group_arn
  secret_parameter_arns = values(local.secret_arns)
  ssm_kms_key_arn       = var.ssm_kms_key_arn
  bucket_arn            = module.s3.bucket_arn
  key_prefix            = var.s3_prefix
  allow_transcribe      = var.allow_transcribe
}

module "ecs" {
  source = "./modules/ecs"

  name                     = var.name
  aws_region               = var.aws_region
  vpc_id                   = module.network.vpc_id
  subnet_ids               = module.network.private_subnet_ids
  alb_security_group_id    = module.alb.security_group_id
  target_group_arn         = module.alb.target_group_arn
  image                    = module.ecr.repository_url
  image_tag                = var.image_tag
  cpu                      = var.task_cpu
  memory                   = var.task_memory
  ephemeral_storage_gib    = var.ephemeral_storage_gib
  desired_count            = var.desired_count
  container_port           = 8080
  execution_role_arn       = module.iam.execution_role_arn
  task_role_arn            = module.iam.task_role_arn
  secrets                  = local.secret_arns
  shutdown_grace_ms        = var.shutdown_grace_ms
  stop_timeout             = var.stop_timeout
  readonly_root_filesystem = var.readonly_root_filesystem
  log_retention_days       = var.log_retention_days

  environment = merge({
    PUBLIC_URL                = var.public_url
    TRUSTED_PROXIES           = var.vpc_cidr
    S3_BUCKET                 = module.s3.bucket_name
    S3_PREFIX                 = var.s3_prefix
    AWS_REGION                = var.aws_region
    MAX_FILE_SIZE_MB          = tostring(var.max_file_size_mb)
    UPLOAD_RETENTION_DAYS     = tostring(var.upload_retention_days)
    TRANSCRIPT_RETENTION_DAYS = tostring(var.transcript_retention_days)
    ARCHIVE_RETENTION_DAYS    = tostring(var.transcript_retention_days)
  }, var.environment)
}

module "github_deploy" {
  source = "./modules/github_deploy"

  name                 = var.name
  github_repository    = var.github_repository
  github_subjects      = var.github_subjects
  create_oidc_provider = var.create_github_oidc_provider
  ecr_repository_arn   = module.ecr.repository_arn
  service_arn          = module.ecs.service_arn
  task_role_arns       = [module.iam.execution_role_arn, module.iam.task_role_arn]
}
