variable "name" {
  description = "Prefix of every resource's Name tag."
  type        = string
}

variable "cidr" {
  description = "The VPC's address range; each subnet is a /24 of it (public from .0, private from .100)."
  type        = string
}

variable "az_count" {
  description = "Availability zones used (one public and one private subnet in each)."
  type        = number
}

variable "single_nat_gateway" {
  description = "One NAT gateway for every private subnet (cheaper) instead of one per zone (survives a zone)."
  type        = bool
}
