package io.redjar;

/** A tiny demonstration main (the RESP server module replaces it as the README's "run"). */
public final class Demo {
    private Demo() {
    }

    public static void main(String[] args) {
        try (Store store = Store.open()) {
            store.strings().set("greeting", "hello");
            System.out.println("GET greeting -> " + store.strings().get("greeting"));
            System.out.println("INCRBY visits 5 -> " + store.execute("INCRBY", "visits", "5"));
            System.out.println("SET k v EX 10 -> " + store.execute("SET", "k", "v", "EX", "10"));
            System.out.println("TTL k -> " + store.execute("TTL", "k"));
            System.out.println("DBSIZE -> " + store.execute("DBSIZE"));
        }
    }
}
