"""The Teams app package: icons drawn in code, texts from the city policy, and the zip (`build`)."""
