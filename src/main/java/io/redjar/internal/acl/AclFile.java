package io.redjar.internal.acl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The ACL file ({@code aclfile}): ACL SAVE writes one {@code user <name> <rules>} line per user
 * (ACL LIST's lines), ACL LOAD reads such a file and replaces every user at once, or nothing if
 * any line is wrong (Redis's {@code ACLLoadFromFile} / {@code ACLSaveToFile}, with its error
 * texts). A file without a {@code default} user gets the all-permissions default user.
 *
 * <p><b>Thread-safety:</b> stateless; the {@link Acl} serialises the user changes.
 */
final class AclFile {
    private AclFile() {
    }

    /** @return null, or the errors (Redis's text, without the {@code ERR} code) */
    static String load(Acl acl, Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "Error loading ACLs, opening file '" + file + "': " + e.getMessage();
        }
        CommandIndex idx = acl.index();
        boolean allChannels = acl.allChannelsDefault();
        StringBuilder errors = new StringBuilder();
        TreeMap<String, UserRules> loaded = new TreeMap<>();
        int linenum = 0;
        for (String raw : lines) {
            linenum++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            List<String> argv = SplitArgs.split(line);
            if (argv == null) {
                errors.append(file).append(':').append(linenum).append(": unbalanced quotes in acl line. ");
                continue;
            }
            if (argv.isEmpty()) {
                continue;
            }
            if (!argv.get(0).equals("user") || argv.size() < 2) {
                errors.append(file).append(':').append(linenum).append(" should start with user keyword. ");
                continue;
            }
            String name = argv.get(1);
            if (Selector.hasSpaces(name)) {
                errors.append('\'').append(file).append(':').append(linenum).append(": username '").append(name)
                    .append("' contains invalid characters. ");
                continue;
            }
            if (loaded.containsKey(name)) {
                errors.append("WARNING: Duplicate user '").append(name).append("' found on line ").append(linenum).append(". ");
                continue;
            }
            List<String> ops = Acl.mergeSelectors(argv.subList(2, argv.size()));
            if (ops == null) {
                errors.append(file).append(':').append(linenum).append(": Unmatched parenthesis in acl selector. ");
                continue;
            }
            UserRules r = UserRules.fresh(idx, allChannels);
            boolean ok = true;
            for (String op : ops) {
                try {
                    r.apply(op, idx, allChannels);
                } catch (AclRuleException e) {
                    errors.append(file).append(':').append(linenum).append(": ").append(e.getMessage()).append(". ");
                    ok = false;
                    break;
                }
            }
            if (ok) {
                loaded.put(name, r);
            }
        }
        if (errors.length() > 0) {
            return errors.toString().strip();
        }
        if (!loaded.containsKey("default")) {
            UserRules d = UserRules.fresh(idx, true);
            try {
                for (String op : List.of("+@all", "~*", "&*", "on", "nopass")) {
                    d.apply(op, idx, true);
                }
            } catch (AclRuleException e) {
                throw new IllegalStateException(e);
            }
            loaded.put("default", d);
        }
        acl.replaceAll(loaded);
        return null;
    }

    /** @return whether the file was written (a temporary file, then renamed over it) */
    static boolean save(Acl acl, Path file) {
        List<String> lines = new ArrayList<>(acl.describeAll());
        StringBuilder b = new StringBuilder();
        for (String l : lines) {
            b.append(l).append('\n');
        }
        try {
            Path dir = file.toAbsolutePath().getParent();
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            Files.write(tmp, b.toString().getBytes(StandardCharsets.ISO_8859_1));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
