// AWS::S3::Bucket resources, their Lambda notifications, and functions' S3 events (issue 9).
#include "emulator/config/summary.hpp"
#include "emulator/config/template_loader.hpp"

#include "config_test_support.hpp"

#include <doctest/doctest.h>

using namespace lambkin::config;
using namespace lambkin::config::test;

namespace {

const std::string head = R"(Transform: AWS::Serverless-2016-10-31
Resources:
  Thumbnails:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      CodeUri: .
)";

}  // namespace

TEST_CASE("buckets are named by BucketName or generated, and S3 events become notifications") {
  const auto r = load_text(head + R"(      Events:
        Upload:
          Type: S3
          Properties:
            Bucket: !Ref Photos
            Events: s3:ObjectCreated:*
            Filter:
              S3Key:
                Rules:
                  - {Name: prefix, Value: uploads/}
                  - {Name: Suffix, Value: .jpg}
        Gone:
          Type: S3
          Properties:
            Bucket: !Ref Logs
            Events: [s3:ObjectRemoved:Delete, s3:ObjectCreated:Copy]
  Photos:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: my-photos
  Logs:
    Type: AWS::S3::Bucket
    Properties:
      NotificationConfiguration:
        LambdaConfigurations:
          - Event: s3:ObjectCreated:Put
            Function: !GetAtt Thumbnails.Arn
Outputs:
  Generated:
    Value: !Ref Logs
  Arn:
    Value: !GetAtt Photos.Arn
)");
  const auto t = load_ok(r);
  CHECK(warnings_of(r).empty());
  REQUIRE(t.buckets.size() == 2);
  CHECK(t.buckets[0].name == "my-photos");
  CHECK(t.buckets[1].name == "lambkin-logs");
  CHECK(t.outputs[0].value == "lambkin-logs");
  CHECK(t.outputs[1].value == "arn:aws:s3:::my-photos");
  REQUIRE(t.bucket_notifications.size() == 3);
  const auto& upload = t.bucket_notifications[0];
  CHECK(upload.bucket == "my-photos");
  CHECK(upload.events == std::vector<std::string>{"s3:ObjectCreated:*"});
  CHECK(upload.prefix == "uploads/");
  CHECK(upload.suffix == ".jpg");
  CHECK(upload.function.value() == "Thumbnails");
  CHECK(upload.id == "ThumbnailsUpload");
  const auto& gone = t.bucket_notifications[1];
  CHECK(gone.bucket == "lambkin-logs");
  CHECK(gone.events == std::vector<std::string>{"s3:ObjectRemoved:Delete", "s3:ObjectCreated:Copy"});
  CHECK(gone.prefix.empty());
  const auto& put = t.bucket_notifications[2];
  CHECK(put.bucket == "lambkin-logs");
  CHECK(put.events == std::vector<std::string>{"s3:ObjectCreated:Put"});
  CHECK(put.function.value() == "Thumbnails");
  CHECK(put.id == "LogsNotification1");
  // `lambkin validate` lists them.
  const auto summary = format_summary(t);
  CHECK(summary.find("Buckets (2)") != std::string::npos);
  CHECK(summary.find("my-photos     → Thumbnails  s3:ObjectCreated:*") != std::string::npos);
  CHECK(summary.find("prefix uploads/, suffix .jpg") != std::string::npos);
}

TEST_CASE("mistakes in buckets and S3 events are reported at their place") {
  const auto r = load_text(head + R"(      Events:
        Upload:
          Type: S3
          Properties:
            Bucket: somebody-elses-bucket
            Events: s3:ObjectCreated:*
        Typo:
          Type: S3
          Properties:
            Bucket: !Ref Photos
            Events: s3:ObjectCreated:Puts
  Photos:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: My_Photos
      NotificationConfiguration:
        LambdaConfigurations:
          - Event: s3:ObjectCreated:*
            Function: arn:aws:lambda:us-east-1:123456789012:function:Elsewhere
            Filter:
              S3Key:
                Rules:
                  - {Name: middle, Value: x}
)");
  CHECK(errors_of(r) == std::vector<std::string>{
                           template_path("inline.yaml") + ":13:21: Resources.Thumbnails.Properties.Events.Upload."
                                                          "Properties.Bucket: must name an AWS::S3::Bucket of this "
                                                          "template (e.g. !Ref MyBucket), as SAM requires, not "
                                                          "'somebody-elses-bucket'",
                           template_path("inline.yaml") + ":19:21: Resources.Thumbnails.Properties.Events.Typo."
                                                          "Properties.Events: unknown S3 event type "
                                                          "'s3:ObjectCreated:Puts'; did you mean 's3:ObjectCreated:Put'?",
                           template_path("inline.yaml") + ":23:19: Resources.Photos.Properties.BucketName: "
                                                          "'My_Photos' is not a valid S3 bucket name: a bucket name has "
                                                          "only lowercase letters, digits, dots and hyphens",
                           template_path("inline.yaml") + ":27:23: Resources.Photos.Properties.NotificationConfiguration."
                                                          "LambdaConfigurations[0].Function: must be the ARN of a function "
                                                          "of this template (e.g. !GetAtt MyFunction.Arn), not "
                                                          "'arn:aws:lambda:us-east-1:123456789012:function:Elsewhere'",
                       });
}
