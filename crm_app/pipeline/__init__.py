"""The deal pipeline: the Deal Pipeline workflow on Deal and the rules around it."""

WORKFLOW_NAME = "Deal Pipeline"
STATE_FIELD = "stage"
