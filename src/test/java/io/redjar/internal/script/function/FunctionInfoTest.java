package io.redjar.internal.script.function;

import io.redjar.Reply;
import io.redjar.Session;
import io.redjar.Store;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** INFO memory counts functions and libraries as Redis 7.0 does ({@code number_of_functions}, ...). */
class FunctionInfoTest {
    private static String memory(Session s) {
        return ((Reply.Verbatim) s.execute("INFO", "memory")).text();
    }

    @Test
    void infoMemoryCountsFunctionsAndLibraries() {
        try (Store store = Store.open()) {
            Session s = store.newSession();
            s.protocol(3);
            assertTrue(memory(s).contains("\r\nnumber_of_functions:0\r\nnumber_of_libraries:0\r\n")
                && memory(s).contains("\r\nused_memory_functions:0\r\n"), memory(s));
            String code = "#!lua name=l\nredis.register_function('a', function() return 1 end)\nredis.register_function('b', function() return 2 end)";
            s.execute("FUNCTION", "LOAD", code);
            assertTrue(memory(s).contains("\r\nnumber_of_functions:2\r\nnumber_of_libraries:1\r\n")
                && memory(s).contains("\r\nused_memory_functions:" + code.length() + "\r\n"), memory(s));
            s.execute("FUNCTION", "FLUSH");
            assertTrue(memory(s).contains("\r\nnumber_of_functions:0\r\nnumber_of_libraries:0\r\n"), memory(s));
        }
    }
}
