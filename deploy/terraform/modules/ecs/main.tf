# The Fargate service: tasks in the private subnets behind the load balancer, the image's non-root user on a
# read-only root, logs to CloudWatch, secrets from SSM Parameter Store (never in the task definition's text).

locals {
  container_name = "voxgate"
  data_dir       = "/var/lib/voxgate"
  # The key file (hashes only) comes from SSM like the other secrets; the server reads a file, so a shell writes it
  # to /tmp (owner-only) and then becomes the server (exec: the JVM gets SIGTERM itself).
  api_keys_file = "/tmp/api-keys"
  keys_from_ssm = contains(keys(var.secrets), "VOXGATE_API_KEYS")

  environment = merge(var.environment, {
    PORT              = tostring(var.container_port)
    HOST              = "0.0.0.0"
    DATA_DIR          = local.data_dir
    LOG_FORMAT        = "json"
    SHUTDOWN_GRACE_MS = tostring(var.shutdown_grace_ms)
  }, { for k, v in { API_KEYS_FILE = local.api_keys_file, AUTH_REQUIRED = "true" } : k => v if local.keys_from_ssm })

  container = {
    name                   = local.container_name
    image                  = "${var.image}:${var.image_tag}"
    essential              = true
    user                   = "10001:10001"
    readonlyRootFilesystem = var.readonly_root_filesystem
    entryPoint             = local.keys_from_ssm ? ["/bin/sh", "-c"] : null
    command = local.keys_from_ssm ? [
      "umask 077 && printf '%s\\n' \"$VOXGATE_API_KEYS\" > ${local.api_keys_file} && unset VOXGATE_API_KEYS && exec voxgate serve"
    ] : ["serve"]

    portMappings = [{
      name          = "http"
      containerPort = var.container_port
      protocol      = "tcp"
    }]

    environment = [for k in sort(keys(local.environment)) : { name = k, value = local.environment[k] }]
    secrets     = [for k in sort(keys(var.secrets)) : { name = k, valueFrom = var.secrets[k] }]

    mountPoints = [
      { sourceVolume = "data", containerPath = local.data_dir, readOnly = false },
      { sourceVolume = "tmp", containerPath = "/tmp", readOnly = false },
    ]

    linuxParameters = {
      capabilities = { drop = ["ALL"] }
    }

    # SIGTERM, then this long for the open sessions' finals before SIGKILL.
    stopTimeout = var.stop_timeout

    healthCheck = {
      command     = ["CMD", "voxgate", "health", "--quiet"]
      interval    = 30
      timeout     = 10
      retries     = 3
      startPeriod = 60
    }

    ulimits = [{ name = "nofile", softLimit = 65536, hardLimit = 65536 }]

    logConfiguration = {
      logDriver = "awslogs"
      options = {
        "awslogs-group"         = aws_cloudwatch_log_group.this.name
        "awslogs-region"        = var.aws_region
        "awslogs-stream-prefix" = local.container_name
      }
    }
  }
}

data "aws_vpc" "this" {
  id = var.vpc_id
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/ecs/${var.name}"
  retention_in_days = var.log_retention_days
}

resource "aws_ecs_cluster" "this" {
  name = var.name

  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

resource "aws_security_group" "task" {
  name_prefix = "${var.name}-task-"
  description = "Voxgate tasks"
  vpc_id      = var.vpc_id

  ingress {
    description     = "from the load balancer"
    protocol        = "tcp"
    from_port       = var.container_port
    to_port         = var.container_port
    security_groups = [var.alb_security_group_id]
  }

  egress {
    description = "HTTPS: ECR, SSM, CloudWatch Logs, S3, remote engines"
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }

  egress {
    description = "PostgreSQL, Redis and other services inside the VPC"
    protocol    = "tcp"
    from_port   = 0
    to_port     = 65535
    cidr_blocks = [data.aws_vpc.this.cidr_block]
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_ecs_task_definition" "this" {
  family                   = var.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.cpu
  memory                   = var.memory
  execution_role_arn       = var.execution_role_arn
  task_role_arn            = var.task_role_arn
  container_definitions    = jsonencode([local.container])

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  ephemeral_storage {
    size_in_gib = var.ephemeral_storage_gib
  }

  # Task storage (no host path on Fargate): the writable places of a read-only root.
  volume {
    name = "data"
  }

  volume {
    name = "tmp"
  }

  lifecycle {
    precondition {
      condition     = var.stop_timeout * 1000 > var.shutdown_grace_ms
      error_message = "stop_timeout must be longer than SHUTDOWN_GRACE_MS, or SIGKILL cuts the sessions' last finals."
    }
  }
}

resource "aws_ecs_service" "this" {
  name                               = var.name
  cluster                            = aws_ecs_cluster.this.id
  task_definition                    = aws_ecs_task_definition.this.arn
  desired_count                      = var.desired_count
  launch_type                        = "FARGATE"
  platform_version                   = "LATEST"
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  health_check_grace_period_seconds  = 120
  enable_execute_command             = false
  propagate_tags                     = "SERVICE"

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = var.subnet_ids
    security_groups  = [aws_security_group.task.id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = var.target_group_arn
    container_name   = local.container_name
    container_port   = var.container_port
  }

  # CI registers new revisions of the family (a new image) and points the service at them; a later apply must not
  # roll the service back to the revision Terraform made. Terraform's own changes reach the service with the
  # next CI deployment, which starts from the family's newest revision.
  lifecycle {
    ignore_changes = [task_definition]
  }
}
