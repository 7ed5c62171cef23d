package dev.keysmith.keys;

import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;

import java.util.Optional;
import java.util.function.Function;

/**
 * Reads an aggregate's state from the event store, outside any command (a unit of work of its own, nothing
 * applied): for the few answers that must not depend on a read model. Empty when there is no such aggregate.
 */
public final class AggregateReads {

    private AggregateReads() {
    }

    public static <A, R> Optional<R> read(Repository<A> repository, String id, Function<A, R> what) {
        ResultMessage<R> result = DefaultUnitOfWork.startAndGet(null)
                .executeWithResult(() -> repository.load(id).invoke(what));
        if (!result.isExceptional()) {
            return Optional.ofNullable(result.getPayload());
        }
        Throwable failure = result.exceptionResult();
        if (failure instanceof AggregateNotFoundException) {
            return Optional.empty();
        }
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        throw new IllegalStateException(failure);
    }
}
