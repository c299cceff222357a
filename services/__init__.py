"""The rules of the product: plain functions over models, called by views, CLI and jobs."""
