"""One module per technique, named by its id (`lambda-001` -> lambda_001.py). Each defines TECHNIQUE."""
