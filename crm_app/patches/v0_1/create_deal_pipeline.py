"""Sites that installed crm_app before the pipeline existed get it on migrate."""

from crm_app.pipeline.board import ensure_board, sync_stage_options
from crm_app.pipeline.setup import ensure_pipeline


def execute():
	ensure_pipeline()
	sync_stage_options()
	ensure_board()
