# A handler written exactly as for AWS Lambda.
import os


def handler(event, context):
    print("event", event)
    return {
        "message": "hello " + str(event.get("name", "world")),
        "request_id": context.aws_request_id,
        "remaining_ms": context.get_remaining_time_in_millis(),
        "initialization_type": os.environ.get("AWS_LAMBDA_INITIALIZATION_TYPE"),
    }
