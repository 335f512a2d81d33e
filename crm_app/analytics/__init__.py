"""Analytics of the pipeline: the funnel, the forecast, stage probabilities, the workspace
cards and the reports' queries. Reads deals; never changes a stage."""
