"""Customer cases ("Lista spraw"); built in the cases issue."""
