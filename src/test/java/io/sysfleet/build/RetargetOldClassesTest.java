package io.sysfleet.build;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The build step that makes Java 5 class files archivable: same behaviour, Java 8 format, nothing else touched. */
class RetargetOldClassesTest {

    /**
     * A Java 5 class {@code old.Old}: {@code branch(int)} (a branch and an exception handler, which need stack map
     * frames at Java 8) and {@code subroutine()} (a {@code jsr}/{@code ret} pair, which Java 8 forbids).
     */
    private static byte[] java5Class() {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V1_5, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, "old/Old", null, "java/lang/Object", null);
        MethodVisitor init = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();

        // static int branch(int x) { try { return x >= 0 ? 100 / x : -1; } catch (ArithmeticException e) { return -2; } }
        MethodVisitor m = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "branch", "(I)I", null, null);
        m.visitCode();
        Label start = new Label();
        Label end = new Label();
        Label handler = new Label();
        Label negative = new Label();
        m.visitTryCatchBlock(start, end, handler, "java/lang/ArithmeticException");
        m.visitLabel(start);
        m.visitVarInsn(Opcodes.ILOAD, 0);
        m.visitJumpInsn(Opcodes.IFLT, negative);
        m.visitIntInsn(Opcodes.BIPUSH, 100);
        m.visitVarInsn(Opcodes.ILOAD, 0);
        m.visitInsn(Opcodes.IDIV);
        m.visitLabel(end);
        m.visitInsn(Opcodes.IRETURN);
        m.visitLabel(negative);
        m.visitInsn(Opcodes.ICONST_M1);
        m.visitInsn(Opcodes.IRETURN);
        m.visitLabel(handler);
        m.visitInsn(Opcodes.POP);
        m.visitIntInsn(Opcodes.BIPUSH, -2);
        m.visitInsn(Opcodes.IRETURN);
        m.visitMaxs(0, 0);
        m.visitEnd();

        // static int subroutine(): jsr to a subroutine that stores 7 in local 0, then returns local 0
        MethodVisitor s = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "subroutine", "()I", null, null);
        s.visitCode();
        Label sub = new Label();
        s.visitInsn(Opcodes.ICONST_0);
        s.visitVarInsn(Opcodes.ISTORE, 0);
        s.visitJumpInsn(Opcodes.JSR, sub);
        s.visitVarInsn(Opcodes.ILOAD, 0);
        s.visitInsn(Opcodes.IRETURN);
        s.visitLabel(sub);
        s.visitVarInsn(Opcodes.ASTORE, 1);
        s.visitIntInsn(Opcodes.BIPUSH, 7);
        s.visitVarInsn(Opcodes.ISTORE, 0);
        s.visitVarInsn(Opcodes.RET, 1);
        s.visitMaxs(0, 0);
        s.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /** A Java 8 class, which the step must leave byte for byte. */
    private static byte[] java8Class() {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES);
        cw.visit(Opcodes.V1_8, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, "fresh/Fresh", null, "java/lang/Object", null);
        cw.visitEnd();
        return cw.toByteArray();
    }

    private static void writeJar(Path jar, Map<String, byte[]> entries) throws IOException {
        try (OutputStream os = Files.newOutputStream(jar); ZipOutputStream z = new ZipOutputStream(os)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
    }

    private static Map<String, byte[]> readJar(Path jar) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(jar.toFile())) {
            List<? extends ZipEntry> entries = new ArrayList<>(z.stream().toList());
            for (ZipEntry e : entries) {
                out.put(e.getName(), z.getInputStream(e).readAllBytes());
            }
        }
        return out;
    }

    @Test
    void rewritesOnlyOldClassFilesKeepingOrderAndBehaviour(@TempDir Path dir) throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n".getBytes(StandardCharsets.UTF_8));
        entries.put("old/Old.class", java5Class());
        entries.put("fresh/Fresh.class", java8Class());
        entries.put("old/data.txt", "not a class".getBytes(StandardCharsets.UTF_8));
        Path in = dir.resolve("in.jar");
        Path out = dir.resolve("out.jar");
        writeJar(in, entries);

        assertEquals(1, RetargetOldClasses.rewrite(in, out));

        Map<String, byte[]> result = readJar(out);
        assertEquals(List.copyOf(entries.keySet()), List.copyOf(result.keySet()), "same entries, same order");
        assertArrayEquals(entries.get("fresh/Fresh.class"), result.get("fresh/Fresh.class"));
        assertArrayEquals(entries.get("old/data.txt"), result.get("old/data.txt"));
        assertArrayEquals(entries.get("META-INF/MANIFEST.MF"), result.get("META-INF/MANIFEST.MF"));
        assertEquals(49, RetargetOldClasses.version(entries.get("old/Old.class")));
        assertEquals(52, RetargetOldClasses.version(result.get("old/Old.class")));

        // loaded (and so verified by Java 8's type-checking verifier) and run: the same answers
        try (URLClassLoader loader = new URLClassLoader(new URL[] {out.toUri().toURL()}, null)) {
            Class<?> c = Class.forName("old.Old", true, loader);
            Method branch = c.getMethod("branch", int.class);
            assertEquals(25, branch.invoke(null, 4));
            assertEquals(-1, branch.invoke(null, -3));
            assertEquals(-2, branch.invoke(null, 0), "the exception handler still catches 100 / 0");
            assertEquals(7, c.getMethod("subroutine").invoke(null), "the inlined subroutine still runs");
        }
    }

    @Test
    void theShortestFilesAreNoClassFiles() {
        assertEquals(-1, RetargetOldClasses.version(new byte[] {(byte) 0xCA, (byte) 0xFE}));
    }
}
