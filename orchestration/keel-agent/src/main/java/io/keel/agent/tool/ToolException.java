package io.keel.agent.tool;

/** A tool's failure that the model is told about as the tool's result (an error result), rather than ending the run. */
public class ToolException extends Exception {
    public ToolException(String message) {
        super(message);
    }

    public ToolException(String message, Throwable cause) {
        super(message, cause);
    }
}
