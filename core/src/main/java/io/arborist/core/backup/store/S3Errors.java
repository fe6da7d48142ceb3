package io.arborist.core.backup.store;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/** Turns SDK failures into one line that names the object and what to do, and never a credential or server text. */
final class S3Errors {
    private S3Errors() {
    }

    static boolean isMissingBucket(AwsServiceException e) {
        return "NoSuchBucket".equals(code(e).orElse(""));
    }

    private static Optional<String> code(AwsServiceException e) {
        return Optional.ofNullable(e.awsErrorDetails()).map(d -> d.errorCode()).filter(c -> !c.isBlank());
    }

    static ArboristException failure(String action, String where, String bucket, URI endpoint, SdkException e) {
        String at = endpoint == null ? "" : " at " + shown(endpoint);
        if (e instanceof AwsServiceException s) {
            String code = code(s).orElse("HTTP " + s.statusCode());
            if (isMissingBucket(s)) {
                return new ArboristException(ErrorKind.UNREACHABLE, "cannot " + action + " " + where + ": bucket '" + bucket
                        + "' does not exist" + at + "; create it or check the destination", e);
            }
            if (s.statusCode() == 403 || s.statusCode() == 401 || code.equals("InvalidAccessKeyId")
                    || code.equals("SignatureDoesNotMatch") || code.equals("AccessDenied")) {
                return new ArboristException(ErrorKind.UNREACHABLE, "cannot " + action + " " + where + ": access denied (" + code
                        + ")" + at + "; check the credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE or the role)"
                        + " and the bucket's policy", e);
            }
            String retried = s.statusCode() >= 500 || s.isThrottlingException() ? " after retrying" : "";
            return new ArboristException(ErrorKind.UNREACHABLE, "cannot " + action + " " + where + ": the store answered " + code
                    + retried + at, e);
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String why = root == e ? firstLine(e.getMessage()) : root.getClass().getSimpleName()
                + (root.getMessage() == null ? "" : ": " + firstLine(root.getMessage()));
        return new ArboristException(ErrorKind.UNREACHABLE, "cannot " + action + " " + where + ": the store" + at
                + " cannot be reached (" + why + ")" + (action.equals("upload") ? "; nothing was stored" : ""), e);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        String line = message.lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    /** The endpoint without any user information someone put in it. */
    static String shown(URI endpoint) {
        return endpoint.getScheme() + "://" + endpoint.getHost() + (endpoint.getPort() < 0 ? "" : ":" + endpoint.getPort())
                + (endpoint.getRawPath() == null ? "" : endpoint.getRawPath());
    }
}
