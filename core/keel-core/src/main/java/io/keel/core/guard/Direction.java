package io.keel.core.guard;

/** Whether text is going into a model (user input, retrieved context) or coming out of one. */
public enum Direction { INPUT, OUTPUT }
