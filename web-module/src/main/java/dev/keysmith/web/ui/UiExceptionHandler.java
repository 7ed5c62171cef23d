package dev.keysmith.web.ui;

import dev.keysmith.keys.KeysmithException;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ResponseStatus;

/** Refusals the UI pages did not handle themselves: a page that says what is wrong, with the right status. */
@ControllerAdvice(basePackageClasses = UiExceptionHandler.class)
class UiExceptionHandler {

    @ExceptionHandler(KeysmithException.NotFound.class)
    @ResponseStatus(HttpStatus.NOT_FOUND)
    String notFound(KeysmithException refusal, Model model) {
        return error(model, 404, "Not found", refusal);
    }

    @ExceptionHandler(KeysmithException.Forbidden.class)
    @ResponseStatus(HttpStatus.FORBIDDEN)
    String forbidden(KeysmithException refusal, Model model) {
        return error(model, 403, "Not allowed", refusal);
    }

    @ExceptionHandler({KeysmithException.Conflict.class, KeysmithException.InvalidInput.class})
    @ResponseStatus(HttpStatus.CONFLICT)
    String conflict(KeysmithException refusal, Model model) {
        return error(model, 409, "Cannot do that", refusal);
    }

    private static String error(Model model, int status, String title, KeysmithException refusal) {
        model.addAttribute("status", status);
        model.addAttribute("title", title);
        model.addAttribute("message", refusal.getMessage());
        return "error";
    }
}
