package dev.milvusbeam.pipelines;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;
import org.apache.beam.sdk.util.common.ReflectHelpers;

/**
 * {@code bulkwriter}'s usage and {@code help <command>}, read by reflection from the commands'
 * options interfaces: Beam's {@code @Description} of each interface and getter, its
 * {@code @Default.*} and {@code @Validation.Required}. Only a command's own flags are listed: the
 * getters of this project's interfaces its options are made of (Beam's own options, which pass
 * through, are not; Beam's {@code PipelineOptionsFactory.printHelp} would list all of them).
 */
final class CommandHelp {
  private static final int WIDTH = 100;
  private static final String PROJECT_PACKAGE = "dev.milvusbeam.";

  private CommandHelp() {}

  /** One flag of a command: {@code --name}, the interface that declares it, its getter. */
  record Flag(String name, Class<?> declaredIn, Method getter) {
    boolean required() {
      return getter.isAnnotationPresent(Validation.Required.class);
    }

    /** Beam's {@code @Description}; empty without one. */
    String description() {
      Description d = getter.getAnnotation(Description.class);
      return d == null ? "" : d.value();
    }

    /** The {@code @Default.*} value as the flag would be written; null without a default. */
    String defaultValue() {
      for (Annotation a : getter.getAnnotations()) {
        if (a.annotationType().getEnclosingClass() != Default.class) {
          continue;
        }
        try {
          Object v = a.annotationType().getMethod("value").invoke(a);
          if (v instanceof Class<?> c) {
            return a instanceof Default.InstanceFactory ? "computed" : c.getSimpleName();
          }
          String s = String.valueOf(v);
          return s.isEmpty() ? "\"\"" : s;
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException("@Default without value(): " + a, e);
        }
      }
      return null;
    }

    /** {@code --name=<Type>}, or {@code --name[=true|false]} for a switch. */
    String syntax() {
      Class<?> type = getter.getReturnType();
      if (type == Boolean.class || type == boolean.class) {
        return "--" + name + "[=true|false]";
      }
      return "--" + name + "=<" + ReflectHelpers.simpleTypeDescription(
          getter.getGenericReturnType()) + ">";
    }
  }

  /**
   * The flags of a command's options interface: the getters of it and of the interfaces it
   * extends that belong to this project, grouped by the interface that declares them (the
   * command's own first), required ones first, then by name.
   */
  static List<Flag> flags(Class<? extends PipelineOptions> options) {
    List<Flag> flags = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (Class<?> iface : interfaces(options)) {
      List<Flag> declared = new ArrayList<>();
      for (Method m : iface.getDeclaredMethods()) {
        String name = propertyName(m);
        if (name != null && seen.add(name)) {
          declared.add(new Flag(name, iface, m));
        }
      }
      declared.sort(Comparator.comparing((Flag f) -> !f.required()).thenComparing(Flag::name));
      flags.addAll(declared);
    }
    return flags;
  }

  /** This project's interfaces {@code options} is made of, itself first, breadth first. */
  static List<Class<?>> interfaces(Class<?> options) {
    Set<Class<?>> out = new LinkedHashSet<>();
    Deque<Class<?>> todo = new ArrayDeque<>(List.of(options));
    while (!todo.isEmpty()) {
      Class<?> c = todo.removeFirst();
      if (c.getPackageName().startsWith(PROJECT_PACKAGE) && out.add(c)) {
        todo.addAll(List.of(c.getInterfaces()));
      }
    }
    return new ArrayList<>(out);
  }

  /** The short usage: each command with its required flags and what it does. */
  static String usage(Map<String, Class<? extends PipelineOptions>> commands) {
    StringBuilder b = new StringBuilder("usage: bulkwriter <command> [--flag=value …]\n");
    commands.forEach((name, options) -> {
      b.append("  ").append(commandLine(name, options)).append('\n');
      wrap(b, firstSentence(description(options)), "      ");
    });
    b.append("  bulkwriter help <command>\n");
    wrap(b, "Every flag of the command, with its description and default.", "      ");
    return b.toString();
  }

  /** {@code help <command>}: what it does, then each of its flags, by the interface declaring it. */
  static String help(String command, Class<? extends PipelineOptions> options) {
    StringBuilder b = new StringBuilder("usage: ").append(commandLine(command, options))
        .append("\n\n");
    wrap(b, description(options), "");
    Class<?> section = null;
    for (Flag f : flags(options)) {
      if (f.declaredIn() != section) {
        section = f.declaredIn();
        b.append('\n');
        if (section != options) {
          wrap(b, description(section), "");
        }
      }
      b.append("  ").append(f.syntax());
      if (f.required()) {
        b.append("  (required)");
      }
      String d = f.defaultValue();
      if (d != null) {
        b.append("  (default: ").append(d).append(')');
      }
      b.append('\n');
      wrap(b, f.description(), "      ");
    }
    return b.toString();
  }

  private static String commandLine(String command, Class<? extends PipelineOptions> options) {
    StringBuilder b = new StringBuilder("bulkwriter ").append(command);
    for (Flag f : flags(options)) {
      if (f.required()) {
        b.append(' ').append(f.syntax());
      }
    }
    return b.append(" [--flag=value …]").toString();
  }

  private static String description(Class<?> iface) {
    Description d = iface.getAnnotation(Description.class);
    return d == null ? iface.getSimpleName() : d.value();
  }

  private static String firstSentence(String text) {
    int end = text.indexOf(". ");
    return end < 0 ? text : text.substring(0, end + 1);
  }

  /** {@code getSegmentSize} → {@code segmentSize}; null for what is no getter of a flag. */
  private static String propertyName(Method m) {
    if (Modifier.isStatic(m.getModifiers()) || m.isDefault() || m.isSynthetic()
        || m.getParameterCount() != 0 || m.getReturnType() == void.class) {
      return null;
    }
    String n = m.getName();
    if (n.startsWith("get") && n.length() > 3) {
      return decapitalize(n.substring(3));
    }
    if (n.startsWith("is") && n.length() > 2 && m.getReturnType() == boolean.class) {
      return decapitalize(n.substring(2));
    }
    return null;
  }

  /** As {@code java.beans.Introspector.decapitalize}, which Beam names properties by. */
  private static String decapitalize(String s) {
    if (s.length() > 1 && Character.isUpperCase(s.charAt(0)) && Character.isUpperCase(s.charAt(1))) {
      return s;
    }
    return Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }

  /** Appends {@code text} wrapped at {@link #WIDTH} columns, each line indented. */
  private static void wrap(StringBuilder b, String text, String indent) {
    StringBuilder line = new StringBuilder(indent);
    for (String word : text.split("\\s+")) {
      if (word.isEmpty()) {
        continue;
      }
      if (line.length() > indent.length() && line.length() + 1 + word.length() > WIDTH) {
        b.append(line).append('\n');
        line.setLength(0);
        line.append(indent);
      }
      if (line.length() > indent.length()) {
        line.append(' ');
      }
      line.append(word);
    }
    if (line.length() > indent.length()) {
      b.append(line).append('\n');
    }
  }
}
