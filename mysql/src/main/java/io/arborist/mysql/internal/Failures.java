package io.arborist.mysql.internal;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import java.io.IOException;
import java.sql.SQLException;

/** Rethrows the first failure of a pool of workers as what it was, so callers report the real cause. */
final class Failures {
    private Failures() {
    }

    /**
     * @param first the first worker failure, or null when all succeeded
     * @param kind the kind for a failure that is neither SQL, I/O nor unchecked
     * @param what what failed, for the message
     */
    static void rethrow(Throwable first, ErrorKind kind, String what) throws SQLException, IOException {
        if (first == null) {
            return;
        }
        if (first instanceof SQLException se) {
            throw se;
        }
        if (first instanceof IOException io) {
            throw io;
        }
        if (first instanceof RuntimeException re) {
            throw re;
        }
        if (first instanceof Error err) {
            throw err;
        }
        throw new ArboristException(kind, what + ": " + first, first);
    }
}
