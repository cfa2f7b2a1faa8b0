output "alb_dns_name" {
  description = "Point the public name (PUBLIC_URL's host) here: a CNAME, or a Route 53 alias with alb_zone_id."
  value       = module.alb.dns_name
}

output "alb_zone_id" {
  value = module.alb.zone_id
}

output "ecr_repository_url" {
  value = module.ecr.repository_url
}

output "bucket_name" {
  value = module.s3.bucket_name
}

output "cluster_name" {
  value = module.ecs.cluster_name
}

output "service_name" {
  value = module.ecs.service_name
}

output "task_family" {
  value = module.ecs.task_family
}

output "container_name" {
  value = module.ecs.container_name
}

output "log_group_name" {
  value = module.ecs.log_group_name
}

output "deploy_role_arn" {
  description = "The CI/CD workflow's AWS_DEPLOY_ROLE_ARN."
  value       = module.github_deploy.role_arn
}

output "ssm_parameters" {
  description = "The SecureString parameters to create before the first apply: aws ssm put-parameter --type SecureString."
  value       = [for s in var.ssm_secrets : "${var.ssm_parameter_prefix}/${s}"]
}
