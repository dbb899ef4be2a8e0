package io.sysfleet.build;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.commons.JSRInlinerAdapter;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A build step (pom.xml, package phase, before the AppCDS training run): rewrites the class files in the shaded jar
 * that are older than Java 6 (class file version below 50: picocli's and Jinjava's expression language, both built
 * for Java 5) as Java 8 class files, with the stack map frames Java 8's verifier needs (computed by ASM;
 * {@code jsr}/{@code ret} subroutines inlined). Nothing else in them changes.
 *
 * <p>Why: Java 17's class-data sharing does not archive a class file older than version 50, nor any class whose
 * verification links to one. Those classes (about 250 at a {@code check}'s start, picocli's whole model among them)
 * were read from the jar and verified by the old type-inferring verifier at every start: about 100 ms of the time
 * to the first SSH packet (docs/performance.md). Lives with the tests because it needs ASM, a build-time tool that
 * must not be shaded into sysfleet.
 *
 * <p>Usage: {@code RetargetOldClasses JAR} rewrites the jar in place and prints how many classes it rewrote.
 */
public final class RetargetOldClasses {
    /** The first class file version the CDS archive takes (Java 6). */
    static final int FIRST_ARCHIVED = 50;

    private RetargetOldClasses() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: RetargetOldClasses JAR");
        }
        Path jar = Path.of(args[0]);
        Path tmp = jar.resolveSibling(jar.getFileName() + ".retarget.tmp");
        int n = rewrite(jar, tmp);
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.println("retarget: " + n + " class files older than Java 6 rewritten as Java 8 in " + jar);
    }

    /** Copies {@code in} to {@code out}, entry by entry in the same order, with every old class file rewritten. */
    static int rewrite(Path in, Path out) throws IOException {
        int n = 0;
        try (URLClassLoader types = new URLClassLoader(new URL[] {in.toUri().toURL()},
                ClassLoader.getPlatformClassLoader());
             ZipInputStream zin = new ZipInputStream(Files.newInputStream(in));
             OutputStream os = Files.newOutputStream(out);
             ZipOutputStream zout = new ZipOutputStream(os)) {
            for (ZipEntry e = zin.getNextEntry(); e != null; e = zin.getNextEntry()) {
                byte[] bytes = zin.readAllBytes();
                if (e.getName().endsWith(".class") && version(bytes) < FIRST_ARCHIVED) {
                    bytes = retarget(bytes, types);
                    n++;
                }
                ZipEntry copy = new ZipEntry(e.getName());
                copy.setTime(e.getTime());
                zout.putNextEntry(copy);
                zout.write(bytes);
                zout.closeEntry();
            }
        }
        return n;
    }

    /** The class file's major version; -1 when it is too short to be one. */
    static int version(byte[] classFile) {
        if (classFile.length < 8) {
            return -1;
        }
        return (classFile[6] & 0xff) << 8 | (classFile[7] & 0xff);
    }

    /**
     * One class file as Java 8: same members and code, subroutines inlined, frames computed. {@code types} loads
     * (without initialising) the classes whose common superclass the frames need.
     */
    static byte[] retarget(byte[] classFile, ClassLoader types) {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
            @Override
            protected ClassLoader getClassLoader() {
                return types;
            }
        };
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public void visit(int version, int access, String name, String signature, String superName,
                              String[] interfaces) {
                super.visit(Opcodes.V1_8, access, name, signature, superName, interfaces);
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                return new JSRInlinerAdapter(super.visitMethod(access, name, descriptor, signature, exceptions),
                        access, name, descriptor, signature, exceptions);
            }
        }, ClassReader.SKIP_FRAMES);
        return writer.toByteArray();
    }
}
