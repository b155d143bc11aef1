package dev.browsers.operator.api;

/** Every error answer: Steel's ErrorResponse shape, which the SDK puts into the thrown error. */
public record ErrorBody(String message) {}
