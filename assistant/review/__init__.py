"""Reviewers' edits coming back: reading a reviewed Word file, finding each answer in it."""
