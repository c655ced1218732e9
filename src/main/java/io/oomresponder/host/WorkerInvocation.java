package io.oomresponder.host;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.HttpStatusType;
import com.microsoft.azure.functions.annotation.FunctionName;

import java.lang.reflect.Method;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * One invocation of a Function the way the Java worker makes it, in a fresh JVM: load the class by
 * name, find the method carrying {@code @FunctionName}, create the object with its public no-argument
 * constructor and call it with the worker's request and context objects. Used by
 * {@code bench intake-cold-start} (time from process start to the answer) and by the test that
 * lists the classes the intake loads before its first 202. It prints one line, {@code status=<code>},
 * and exits; the caller times it from outside.
 *
 * <p>Not the worker itself (azure-functions-java-worker's gRPC start and the host's routing are not
 * here, nor on Maven Central as a runnable artifact): only the part that is this app's code.
 *
 * <pre>java -cp oom-responder.jar io.oomresponder.host.WorkerInvocation io.oomresponder.functions.AlertWebhook body.json</pre>
 */
public final class WorkerInvocation {

    private WorkerInvocation() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: WorkerInvocation <function class> <request body file>");
            System.exit(2);
        }
        byte[] body = Files.readAllBytes(Path.of(args[1]));
        Class<?> type = Class.forName(args[0], true, WorkerInvocation.class.getClassLoader());
        Method function = null;
        for (Method m : type.getMethods()) {
            if (m.isAnnotationPresent(FunctionName.class)) {
                function = m;
            }
        }
        if (function == null) {
            throw new IllegalArgumentException(args[0] + " has no @FunctionName method");
        }
        Object instance = type.getConstructor().newInstance();
        Object[] arguments = new Object[function.getParameterCount()];
        Class<?>[] types = function.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            if (types[i] == HttpRequestMessage.class) {
                arguments[i] = new Request(body);
            } else if (types[i] == ExecutionContext.class) {
                arguments[i] = new Context(function.getAnnotation(FunctionName.class).value());
            } else {
                throw new IllegalArgumentException("cannot supply a " + types[i].getName() + " parameter");
            }
        }
        HttpResponseMessage answer = (HttpResponseMessage) function.invoke(instance, arguments);
        System.out.println("status=" + answer.getStatus().value());
        System.out.flush();
        // Halt rather than exit: the answer is what was measured; nothing after it should run or load.
        java.lang.Runtime.getRuntime().halt(0);
    }

    /** The worker's request object, reduced to what an HTTP trigger with {@code dataType = "binary"} receives. */
    private record Request(byte[] body) implements HttpRequestMessage<Optional<byte[]>> {

        @Override
        public URI getUri() {
            return URI.create("http://localhost/api/alerts");
        }

        @Override
        public HttpMethod getHttpMethod() {
            return HttpMethod.POST;
        }

        @Override
        public Map<String, String> getHeaders() {
            return Map.of("content-type", "application/json");
        }

        @Override
        public Map<String, String> getQueryParameters() {
            return Map.of();
        }

        @Override
        public Optional<byte[]> getBody() {
            return Optional.of(body);
        }

        @Override
        public HttpResponseMessage.Builder createResponseBuilder(HttpStatus status) {
            return FunctionResponse.builder(status);
        }

        @Override
        public HttpResponseMessage.Builder createResponseBuilder(HttpStatusType status) {
            return FunctionResponse.builder(status);
        }
    }

    private record Context(String functionName) implements ExecutionContext {

        @Override
        public Logger getLogger() {
            return Logger.getLogger(functionName);
        }

        @Override
        public String getInvocationId() {
            return "cold-start-1";
        }

        @Override
        public String getFunctionName() {
            return functionName;
        }
    }
}
