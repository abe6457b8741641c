"""Reading indicator values from files: layouts, validation, and the errors a person sees."""
