package io.controlcenter.db;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * What a failed write tells an operator: the kind of failure from the SQLSTATE wherever in the chain it is (a pool
 * timeout's cause, a batch's next exception), the server's message on one line, never the password. The full disk
 * against a real server is DiskFullTest.
 */
class SqlFailureTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', textBlock = """
            08001 | PostgreSQL is unreachable
            08006 | PostgreSQL is unreachable
            57P01 | PostgreSQL is unreachable
            57P03 | PostgreSQL is unreachable
            53100 | PostgreSQL's disk is full
            53200 | PostgreSQL is out of resources
            25006 | PostgreSQL accepts no writes (read-only)
            23505 | PostgreSQL refused the write
            """)
    void theKindFollowsTheSqlState(String state, String kind) {
        assertEquals(kind, SqlFailure.of(new SQLException("boom", state), "").kind());
    }

    @Test
    void aFullDiskIsNamedWithTheServersMessageOnOneLineAndWhatToDo() {
        SQLException disk = new SQLException("ERROR: could not extend file \"base/5/16385\": No space left on device\n"
                + "  Hint: Check free disk space.", "53100");
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 was aborted", "53100", 0, new int[0], null);
        batch.setNextException(disk);
        assertEquals("PostgreSQL's disk is full: ERROR: could not extend file \"base/5/16385\": No space left on device;"
                + " Hint: Check free disk space. (SQLSTATE 53100); free space on the disk that holds the server's data"
                + " directory", SqlFailure.of(new RuntimeException(batch), "").describe());
    }

    @Test
    void aPoolTimeoutNamesTheConnectionFailureBehindIt() {
        SQLException refused = new SQLException("Connection to 127.0.0.1:5432 refused", "08001");
        SqlFailure f = SqlFailure.of(new SQLTransientConnectionException("control-center-db - Connection is not"
                + " available, request timed out after 5000ms", "08001", refused), "");
        assertEquals("PostgreSQL is unreachable", f.kind());
        assertEquals("Connection to 127.0.0.1:5432 refused", f.message());
        assertEquals("PostgreSQL is unreachable", SqlFailure.of(new SQLTransientConnectionException("timed out"), "")
                .kind(), "a pool timeout without a cause");
    }

    @Test
    void thePasswordIsNeverInTheText() {
        SqlFailure f = SqlFailure.of(new SQLException("password authentication failed: s3cret-pw", "28P01"), "s3cret-pw");
        assertFalse(f.describe().contains("s3cret-pw"), f.describe());
    }
}
