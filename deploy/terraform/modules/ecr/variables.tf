variable "name" {
  description = "The repository's name."
  type        = string
}

variable "keep_images" {
  description = "Images kept; older ones expire."
  type        = number
}
