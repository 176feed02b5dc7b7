package io.redjar;

/**
 * Run by {@link JvmFlagsTest} in a child JVM: opens a store and reports what happened on stdout.
 * Exit status 0: the store opened; 3: {@link IllegalStateException} (message printed after
 * {@code ISE: }); 4: any other failure.
 */
public final class NoAddExportsMain {
    private NoAddExportsMain() {
    }

    public static void main(String[] args) {
        try (Store store = Store.open()) {
            store.strings().set("k", "v");
            System.out.println("OPENED " + store.strings().get("k"));
        } catch (IllegalStateException e) {
            System.out.println("ISE: " + e.getMessage());
            System.exit(3);
        } catch (Throwable t) {
            System.out.println("OTHER: " + t);
            System.exit(4);
        }
    }
}
